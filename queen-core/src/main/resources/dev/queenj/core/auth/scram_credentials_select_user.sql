SELECT mechanism, salt, stored_key, server_key, iterations FROM kafka_scram_credentials WHERE user_name = $1
