SELECT user_name, mechanism, iterations FROM kafka_scram_credentials ORDER BY user_name, mechanism
