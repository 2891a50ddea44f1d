#!/bin/sh
# Stand-in for the UBI image's run-java.sh, reduced to what the project's Dockerfiles use: JAVA_OPTS, then
# JAVA_OPTS_APPEND (later flags win, so an image's MaxRAMPercentage overrides the default here), then the jar.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage=80 -XX:+ExitOnOutOfMemoryError $JAVA_OPTS $JAVA_OPTS_APPEND -jar "${JAVA_APP_JAR:-/deployments/quarkus-run.jar}" "$@"
