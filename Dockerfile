####
# JVM image of LTI Publisher (Quarkus fast-jar), built entirely inside Docker.
#
#   docker build -t lti-publisher:jvm .
#   docker run --rm -p 8080:8080 -e QUARKUS_DATASOURCE_JDBC_URL=... lti-publisher:jvm
#
# This is the image the k8s base deploys: its JVM settings (src/main/docker/jvm.options) size heap, GC
# and code cache for the base's 256Mi / one-CPU pod.
####

## Stage 1: build with the JDK (the code targets Java 21; JDK 25 compiles and runs it).
FROM eclipse-temurin:25-jdk AS build
WORKDIR /code
COPY mvnw /code/mvnw
COPY .mvn /code/.mvn
COPY pom.xml /code/
# Dependencies in their own layer, so a source-only change does not download them again.
# quarkus:go-offline also fetches the -deployment artifacts the Quarkus build resolves on its own.
RUN ./mvnw -B -ntp dependency:go-offline quarkus:go-offline
COPY src /code/src
RUN ./mvnw -B -ntp package -DskipTests

## Stage 2: JRE only.
FROM eclipse-temurin:25-jre
# A fixed uid (1001, group 0) so the Kubernetes securityContext (runAsUser: 1001) matches the image.
RUN useradd --uid 1001 --gid 0 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin lti
WORKDIR /deployments
# Fast-jar layout, dependencies first: they change least often, so their layer is reused most.
# Files stay owned by root: the application only reads them.
COPY --from=build /code/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build /code/target/quarkus-app/*.jar /deployments/
COPY --from=build /code/target/quarkus-app/app/ /deployments/app/
COPY --from=build /code/target/quarkus-app/quarkus/ /deployments/quarkus/
COPY src/main/docker/jvm.options /deployments/jvm.options
EXPOSE 8080
USER 1001
ENTRYPOINT ["java","@/deployments/jvm.options","-jar","/deployments/quarkus-run.jar"]
