#!/bin/sh
# nginx mutual-TLS gateway: container entrypoint.
#
#   entrypoint.sh [run]   validate the environment, write the TLS material, render the
#                         configuration, `nginx -t`, then exec nginx in the foreground (default).
#   entrypoint.sh check   the same up to and including `nginx -t`, then exit (0 = valid).
#   entrypoint.sh render  validate, write the TLS material and render; no nginx involved.
#
# Every environment variable is documented in README.md next to this file. In short:
# GATEWAY_MODE (nlb|alb) picks templates/edge-<mode>.conf.template; the PEM material comes
# from GATEWAY_TLS_CERT_PEM, GATEWAY_TLS_KEY_PEM and (nlb) GATEWAY_CLIENT_CA_PEM, which ECS
# injects from Secrets Manager, and the optional (nlb) GATEWAY_CLIENT_CRL_PEM (revoked client
# certificates). The PEMs are written with umask 077 under $GATEWAY_RUNTIME_DIR/tls, never
# printed, and removed from the environment before nginx starts.
#
# POSIX sh on purpose: the image is Alpine (busybox ash) and the test machine Debian (dash).
# Only shell builtins ever see the secrets (printf, test), so they never appear in a process's
# argument list (/proc/<pid>/cmdline).
set -eu

die() {
	printf 'gateway: %s\n' "$*" >&2
	exit 1
}

command_name=${1:-run}
case $command_name in
run | check | render) ;;
*) die "unknown command '$command_name' (expected run, check or render)" ;;
esac

# The gateway never runs as root (the image sets USER 101); refusing here keeps a task
# definition that overrides `user` from silently widening what a compromised worker can do.
if [ "$(id -u)" = 0 ]; then
	die "refusing to run as root (uid 0); run the container as the image's non-root user"
fi

script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
template_dir=$script_dir/templates

# ---------------------------------------------------------------- defaults (see README.md)
: "${GATEWAY_MODE:=nlb}"
: "${API_UPSTREAM:=}"
: "${DNS_RESOLVER:=169.254.169.253}"
: "${DNS_RESOLVER_VALID:=10s}"
: "${GATEWAY_LISTEN_ADDRESS:=0.0.0.0}"
: "${GATEWAY_TLS_PORT:=8443}"
: "${GATEWAY_HTTP_PORT:=8080}"
: "${GATEWAY_HEALTH_PORT:=8081}"
: "${GATEWAY_SERVER_NAME:=_}"
: "${GATEWAY_CLIENT_MAX_BODY_SIZE:=1m}"
: "${GATEWAY_RATE_LIMIT:=10r/s}"
: "${GATEWAY_RATE_LIMIT_BURST:=20}"
: "${GATEWAY_SSL_VERIFY_DEPTH:=0}"
: "${GATEWAY_HSTS_MAX_AGE:=31536000}"
: "${GATEWAY_WORKER_PROCESSES:=auto}"
: "${GATEWAY_LOG_LEVEL:=warn}"
: "${GATEWAY_RUNTIME_DIR:=/tmp/gateway}"
: "${GATEWAY_TLS_CERT_PEM:=}"
: "${GATEWAY_TLS_KEY_PEM:=}"
: "${GATEWAY_CLIENT_CA_PEM:=}"
: "${GATEWAY_CLIENT_CRL_PEM:=}"

# ---------------------------------------------------------------- validation
# Every value below is pasted into nginx configuration, so each must match a strict pattern:
# a stray ';' or '}' would otherwise inject directives. All problems are reported at once.
problems=''
newline='
'
problem() {
	problems="$problems$newline  - $*"
}

# matches NAME PATTERN: true when the value of NAME is one line matching ^(PATTERN)$.
matches() {
	eval "matches_value=\${$1}"
	case $matches_value in *"$newline"*) return 1 ;; esac
	printf '%s' "$matches_value" | grep -Eqx -- "$2"
}

# check NAME PATTERN MEANING: records a problem (with the offending value) when NAME does not match.
check() {
	if ! matches "$1" "$2"; then
		eval "check_value=\${$1}"
		problem "$1='$check_value' must be $3"
	fi
}

port_pattern='[1-9][0-9]{0,4}'
ipv4_pattern='[0-9]{1,3}(\.[0-9]{1,3}){3}'
hostname_pattern='[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?'

check GATEWAY_MODE 'nlb|alb' "'nlb' or 'alb'"
if [ -z "$API_UPSTREAM" ]; then
	problem "API_UPSTREAM is required (host:port of the API, e.g. api.mtls-api.local:8000)"
else
	check API_UPSTREAM "$hostname_pattern:$port_pattern" "host:port (e.g. api.mtls-api.local:8000)"
fi
check DNS_RESOLVER "$ipv4_pattern(:$port_pattern)?" "an IPv4 address with an optional :port (e.g. 169.254.169.253)"
check DNS_RESOLVER_VALID '[1-9][0-9]{0,4}[smh]?' "an nginx time such as 10s"
check GATEWAY_LISTEN_ADDRESS "$ipv4_pattern" "an IPv4 address (0.0.0.0 for all interfaces)"
for port_var in GATEWAY_TLS_PORT GATEWAY_HTTP_PORT GATEWAY_HEALTH_PORT; do
	if matches "$port_var" "$port_pattern"; then
		eval "port_value=\${$port_var}"
		[ "$port_value" -le 65535 ] || problem "$port_var=$port_value must be at most 65535"
	else
		check "$port_var" "$port_pattern" "a TCP port number (1-65535)"
	fi
done
if [ "$GATEWAY_TLS_PORT" = "$GATEWAY_HEALTH_PORT" ] ||
	{ [ "$GATEWAY_MODE" = nlb ] && { [ "$GATEWAY_HTTP_PORT" = "$GATEWAY_TLS_PORT" ] || [ "$GATEWAY_HTTP_PORT" = "$GATEWAY_HEALTH_PORT" ]; }; }; then
	problem "GATEWAY_TLS_PORT, GATEWAY_HTTP_PORT (nlb mode) and GATEWAY_HEALTH_PORT must differ"
fi
check GATEWAY_SERVER_NAME '_|[A-Za-z0-9*.-]+( [A-Za-z0-9*.-]+)*' "'_' or space-separated host names"
check GATEWAY_CLIENT_MAX_BODY_SIZE '[1-9][0-9]{0,8}[kKmM]?' "a non-zero nginx size such as 1m or 512k (0 would disable the limit)"
check GATEWAY_RATE_LIMIT '[1-9][0-9]{0,5}r/[sm]' "an nginx rate such as 10r/s or 600r/m"
check GATEWAY_RATE_LIMIT_BURST '[0-9]{1,6}' "a whole number of requests"
# OpenSSL's verify depth: the most intermediate CAs allowed between the client certificate and
# a CA of the bundle (0 = signed directly by a CA in the bundle). README.md, "Client chain".
check GATEWAY_SSL_VERIFY_DEPTH '[0-9]' "a number of intermediate CAs from 0 to 9 (0 = signed directly by a CA in the bundle)"
check GATEWAY_HSTS_MAX_AGE '[0-9]{1,10}' "a number of seconds"
check GATEWAY_WORKER_PROCESSES 'auto|[1-9][0-9]{0,2}' "'auto' or a number of processes"
check GATEWAY_LOG_LEVEL 'debug|info|notice|warn|error|crit|alert|emerg' "an nginx error_log level"
check GATEWAY_RUNTIME_DIR '/[A-Za-z0-9._/-]*' "an absolute path of letters, digits, '.', '_', '-' and '/'"

# The PEM values are secrets: their problems never quote them.
case $GATEWAY_TLS_CERT_PEM in
*'-----BEGIN CERTIFICATE-----'*) ;;
*) problem "GATEWAY_TLS_CERT_PEM is required: the server certificate (and chain) in PEM" ;;
esac
case $GATEWAY_TLS_KEY_PEM in
*'-----BEGIN '*'PRIVATE KEY-----'*) ;;
*) problem "GATEWAY_TLS_KEY_PEM is required: the server private key in PEM" ;;
esac
if [ "$GATEWAY_MODE" = nlb ]; then
	case $GATEWAY_CLIENT_CA_PEM in
	*'-----BEGIN CERTIFICATE-----'*) ;;
	*) problem "GATEWAY_CLIENT_CA_PEM is required in nlb mode: the CA bundle that signs client certificates, in PEM" ;;
	esac
	case $GATEWAY_CLIENT_CRL_PEM in
	'' | *'-----BEGIN X509 CRL-----'*) ;;
	*) problem "GATEWAY_CLIENT_CRL_PEM must be empty or PEM certificate revocation lists (-----BEGIN X509 CRL-----), one per CA" ;;
	esac
elif [ -n "$GATEWAY_CLIENT_CRL_PEM" ]; then
	problem "GATEWAY_CLIENT_CRL_PEM applies to nlb mode only (in alb mode the trust store holds the revocation lists)"
fi

if [ -n "$problems" ]; then
	die "invalid configuration:$problems"
fi

# ---------------------------------------------------------------- TLS material
runtime_dir=$GATEWAY_RUNTIME_DIR
umask 077
mkdir -p "$runtime_dir/conf" "$runtime_dir/tls" "$runtime_dir/tmp"
chmod 0700 "$runtime_dir" "$runtime_dir/conf" "$runtime_dir/tls" "$runtime_dir/tmp"

# write_secret FILE VALUE: printf is a builtin, so VALUE is never an exec argument. The file
# ends with exactly one newline whether or not the value did.
write_secret() {
	rm -f "$1"
	case $2 in
	*"$newline") printf '%s' "$2" >"$1" ;;
	*) printf '%s\n' "$2" >"$1" ;;
	esac
	chmod 0600 "$1"
}
write_secret "$runtime_dir/tls/server.crt" "$GATEWAY_TLS_CERT_PEM"
write_secret "$runtime_dir/tls/server.key" "$GATEWAY_TLS_KEY_PEM"
if [ "$GATEWAY_MODE" = nlb ]; then
	write_secret "$runtime_dir/tls/client-ca.crt" "$GATEWAY_CLIENT_CA_PEM"
else
	rm -f "$runtime_dir/tls/client-ca.crt"
fi
# Revocation (nlb): with ssl_crl nginx checks every certificate of the client's chain
# (X509_V_FLAG_CRL_CHECK_ALL), so the file must hold a current CRL of every CA in the bundle
# and of every intermediate the verify depth admits; a missing or expired one refuses everyone.
if [ -n "$GATEWAY_CLIENT_CRL_PEM" ]; then
	write_secret "$runtime_dir/tls/client-crl.pem" "$GATEWAY_CLIENT_CRL_PEM"
	printf 'ssl_crl %s;\n' "$runtime_dir/tls/client-crl.pem" >"$runtime_dir/conf/crl.conf"
else
	rm -f "$runtime_dir/tls/client-crl.pem"
	printf '# no client certificate revocation list (GATEWAY_CLIENT_CRL_PEM is empty)\n' >"$runtime_dir/conf/crl.conf"
fi
# nginx reads the files; nothing after this point needs the values in its environment.
unset GATEWAY_TLS_CERT_PEM GATEWAY_TLS_KEY_PEM GATEWAY_CLIENT_CA_PEM GATEWAY_CLIENT_CRL_PEM

# ---------------------------------------------------------------- configuration
# envsubst replaces exactly these variables and nothing else, so nginx's own $variables
# ($host, $ssl_client_s_dn, ...) in the templates are left alone.
export GATEWAY_MODE API_UPSTREAM DNS_RESOLVER DNS_RESOLVER_VALID GATEWAY_LISTEN_ADDRESS \
	GATEWAY_TLS_PORT GATEWAY_HTTP_PORT GATEWAY_HEALTH_PORT GATEWAY_SERVER_NAME \
	GATEWAY_CLIENT_MAX_BODY_SIZE GATEWAY_RATE_LIMIT GATEWAY_RATE_LIMIT_BURST \
	GATEWAY_SSL_VERIFY_DEPTH GATEWAY_HSTS_MAX_AGE GATEWAY_WORKER_PROCESSES GATEWAY_LOG_LEVEL \
	GATEWAY_RUNTIME_DIR
substituted='${API_UPSTREAM} ${DNS_RESOLVER} ${DNS_RESOLVER_VALID} ${GATEWAY_LISTEN_ADDRESS}
${GATEWAY_TLS_PORT} ${GATEWAY_HTTP_PORT} ${GATEWAY_HEALTH_PORT} ${GATEWAY_SERVER_NAME}
${GATEWAY_CLIENT_MAX_BODY_SIZE} ${GATEWAY_RATE_LIMIT} ${GATEWAY_RATE_LIMIT_BURST}
${GATEWAY_SSL_VERIFY_DEPTH} ${GATEWAY_HSTS_MAX_AGE} ${GATEWAY_WORKER_PROCESSES}
${GATEWAY_LOG_LEVEL} ${GATEWAY_RUNTIME_DIR}'

render() { # render TEMPLATE OUTPUT
	[ -r "$template_dir/$1" ] || die "missing template $template_dir/$1"
	envsubst "$substituted" <"$template_dir/$1" >"$runtime_dir/conf/$2"
}
render nginx.conf.template nginx.conf
render tls.conf.template tls.conf
render proxy.conf.template proxy.conf
render "edge-$GATEWAY_MODE.conf.template" edge.conf

nginx_conf=$runtime_dir/conf/nginx.conf
if [ "$command_name" = render ]; then
	printf '%s\n' "$nginx_conf"
	exit 0
fi

# -e stderr: the error log before the configuration is read (nginx >= 1.19.5), so nginx never
# tries the compiled-in /var/log path. -p: relative paths resolve inside the runtime directory.
nginx -t -q -e stderr -p "$runtime_dir/" -c "$nginx_conf"
if [ "$command_name" = check ]; then
	printf 'gateway: configuration for mode %s is valid\n' "$GATEWAY_MODE" >&2
	exit 0
fi

printf 'gateway: starting nginx in %s mode (tls %s, health %s)\n' \
	"$GATEWAY_MODE" "$GATEWAY_TLS_PORT" "$GATEWAY_HEALTH_PORT" >&2
exec nginx -e stderr -p "$runtime_dir/" -c "$nginx_conf" -g 'daemon off;'
