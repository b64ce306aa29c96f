####
# JVM image of LTI Publisher (Quarkus fast-jar) with a JDK AOT cache, built entirely inside Docker.
#
#   docker build -t lti-publisher:jvm .
#   docker run --rm -p 8080:8080 -e QUARKUS_DATASOURCE_JDBC_URL=... lti-publisher:jvm
#
# This is the image the k8s base deploys: its JVM settings (src/main/docker/jvm.options) size heap, GC
# and code cache for the base's 384Mi / one-CPU pod.
####

## Stage 1: build with the JDK (the code targets Java 21; JDK 25 compiles and runs it), then train.
FROM eclipse-temurin:25-jdk AS build
# PostgreSQL refuses to run as root, and the training run below starts one: build as an ordinary user.
RUN useradd --create-home builder && mkdir -p /code /deployments && chown builder /code /deployments
USER builder
WORKDIR /code
COPY --chown=builder mvnw /code/mvnw
COPY --chown=builder .mvn /code/.mvn
COPY --chown=builder pom.xml /code/
# Dependencies in their own layer, so a source-only change does not download them again.
# quarkus:go-offline also fetches the -deployment artifacts the Quarkus build resolves on its own; -Pbench
# the benchmark's (embedded PostgreSQL, the platform simulator) that the training run needs.
RUN ./mvnw -B -ntp -Pbench dependency:go-offline quarkus:go-offline
COPY --chown=builder src /code/src
COPY --chown=builder bench/src /code/bench/src
RUN ./mvnw -B -ntp package -DskipTests \
 && cp -a target/quarkus-app/. /deployments/ && cp src/main/docker/jvm.options /deployments/jvm.options
# JDK AOT cache (JEP 483/514/515): a training run of the application at its final path (/deployments) with
# its final JVM options, against an embedded PostgreSQL, serving 500 full launches from the simulated
# platform (bench/: LaunchBenchmark in training mode); the cache is written when the JVM exits.
RUN ./mvnw -B -ntp -Pbench package -DskipTests -Dbench.jar=/deployments/quarkus-run.jar \
      -Dbench.aot-training=/deployments/app.aot

## Stage 2: JRE only, the same Temurin 25 release (a JVM of another build ignores the cache and starts normally).
FROM eclipse-temurin:25-jre
# A fixed uid (1001, group 0) so the Kubernetes securityContext (runAsUser: 1001) matches the image.
RUN useradd --uid 1001 --gid 0 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin lti
WORKDIR /deployments
# Fast-jar layout, dependencies first: they change least often, so their layer is reused most. The copies
# keep the training run's paths and file times, which the AOT cache checks. Files stay owned by root.
COPY --from=build /deployments/lib/ /deployments/lib/
COPY --from=build /deployments/*.jar /deployments/
COPY --from=build /deployments/app/ /deployments/app/
COPY --from=build /deployments/quarkus/ /deployments/quarkus/
COPY --from=build /deployments/jvm.options /deployments/app.aot /deployments/
# glibc gives every thread that allocates natively (JIT compilers, GC, Netty, the JDBC driver's sockets) an arena
# of its own up to 8 per core, each reserving 64 MiB and keeping what it freed: two keep the RSS near the heap's.
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
USER 1001
ENTRYPOINT ["java","@/deployments/jvm.options","-XX:AOTCache=/deployments/app.aot","-jar","/deployments/quarkus-run.jar"]
