SELECT id FROM cluster_identity
