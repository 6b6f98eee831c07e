# syntax=docker/dockerfile:1
# Queen-J: the runnable jar on a JRE. Build: docker build -t queen-j .   Run with docker-compose.yml (Postgres 16 +
# this server), or alone: docker run -p 6632:6632 -v queen-data:/data queen-j  (embedded Postgres in /data).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY queen-core queen-core
COPY http-api http-api
COPY kafka-wire kafka-wire
COPY queen-server queen-server
# Maven reads every module the root pom lists before it builds any: the others' descriptors are enough, since only the
# server and what it needs are built.
COPY queen-client/pom.xml queen-client/pom.xml
COPY queen-test/pom.xml queen-test/pom.xml
COPY compat-tests/pom.xml compat-tests/pom.xml
COPY bench/pom.xml bench/pom.xml
# The cache mount keeps ~/.m2 (dependencies and the Maven the wrapper fetches) between builds without baking it
# into a layer, so a source change does not download everything again.
RUN --mount=type=cache,target=/root/.m2 chmod +x mvnw && ./mvnw -B -DskipTests -pl queen-server -am package

FROM eclipse-temurin:17-jre
# Postgres refuses to run as root (as root, the embedded one used when QUEEN_PG_URL is unset has to go through
# `unshare -U`, which containers usually forbid), so the server runs as an unprivileged user owning the data directory.
RUN groupadd --system --gid 10001 queen \
    && useradd --system --uid 10001 --gid queen --home-dir /data --shell /usr/sbin/nologin queen \
    && mkdir -p /data /app \
    && chown queen:queen /data
COPY --from=build /src/queen-server/target/queen-server.jar /app/queen-server.jar
USER queen
WORKDIR /data
# QUEEN_DATA_DIR holds the embedded Postgres data (and, later, the durable push buffer): mount a volume to keep it.
ENV QUEEN_DATA_DIR=/data \
    QUEEN_HTTP_PORT=6632 \
    QUEEN_KAFKA_PORT=9092
VOLUME ["/data"]
EXPOSE 6632 9092
# /health/ready runs a real database round trip. The image has no curl, so bash speaks HTTP/1.0 itself.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${QUEEN_HTTP_PORT} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Exec form: java is PID 1 and receives SIGTERM itself, so `docker stop` runs the graceful shutdown (parked
# long-polls answered, in-flight requests finished, Postgres closed). Flags may be appended: docker run ... --help
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/queen-server.jar"]
