# Sourced by every bin/ script: where the build is, and how to start a JVM of this project. Each fact lives here
# once; the scripts only say which main class to run. Works from any working directory, through symlinks too.
#
#   mds_root          the repository root
#   mds_job_jar       the job jar (mvn -q -DskipTests package)
#   mds_flink_lib     the Flink runtime jars the job runs on locally (the flink-local module's target/lib)
#   mds_postgres_binaries  Maven Central's PostgreSQL server binaries (a jar) and what unpacks them
#   mds_require_build exits 2 with the build command when either is missing
#   mds_jvm_flags     the Java 17 flags every Flink JVM needs, from flink-conf/config.yaml
#   mds_run_java      runs a main class of the job jar on the Flink runtime jars

mds_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
mds_job_jar="$mds_root/job/target/market-data-job.jar"
mds_flink_lib="$mds_root/flink-local/target/lib"
# PostgreSQL server binaries from Maven Central, for a private database where none is installed (PostgresBinaries).
mds_postgres_binaries="$mds_root/flink-local/target/postgres-binaries"
mds_flink_conf="$mds_root/flink-conf"

mds_require_build() {
  if [[ ! -f "$mds_job_jar" || ! -d "$mds_flink_lib" ]]; then
    echo "error: the job is not built; run 'mvn -q -DskipTests package' in $mds_root first" >&2
    exit 2
  fi
}

# Prints env.java.default-opts.all of flink-conf/config.yaml: the key Flink's own launch scripts read, and the one
# place the project keeps these flags (the build and dev.marketdata.job.local.JvmFlags read it too). Reads block
# style (env: / java: / default-opts: / all:) and the flat key.
mds_jvm_flags() {
  awk '
    /^[[:space:]]*(#|$)/ { next }
    {
      match($0, /^ */); indent = RLENGTH
      line = substr($0, indent + 1)
      colon = index(line, ":"); if (colon == 0) next
      key = substr(line, 1, colon - 1); value = substr(line, colon + 1)
      sub(/^[[:space:]]+/, "", value); sub(/[[:space:]]+$/, "", value)
      while (depth > 0 && indents[depth] >= indent) depth--
      path = key; for (i = depth; i >= 1; i--) path = keys[i] "." path
      if (path == "env.java.default-opts.all") { print value; found = 1; exit }
      if (value == "") { depth++; keys[depth] = key; indents[depth] = indent }
    }
    END { if (!found) exit 1 }
  ' "$mds_flink_conf/config.yaml" || {
    echo "error: no env.java.default-opts.all in $mds_flink_conf/config.yaml" >&2
    exit 2
  }
}

# mds_run_java LOG_FILE MAIN_CLASS ARGS...: the job jar, the Flink runtime and the PostgreSQL binaries' jar on the
# class path, the Java 17 flags, the project's log4j configuration logging to LOG_FILE, and MDS_JAVA_OPTS (e.g.
# -Xmx2g) from the environment.
mds_run_java() {
  local log_file="$1" main="$2"
  shift 2
  mds_require_build
  local flags
  flags="$(mds_jvm_flags)"
  # shellcheck disable=SC2086 # the flags and MDS_JAVA_OPTS are lists of words
  exec java ${MDS_JAVA_OPTS:-} $flags \
    -Dlog.file="$log_file" \
    -Dlog4j.configurationFile="$mds_flink_conf/log4j-run-local.properties" \
    -cp "$mds_job_jar:$mds_flink_lib/*:$mds_postgres_binaries/*" "$main" "$@"
}
