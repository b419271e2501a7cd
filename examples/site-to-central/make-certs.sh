#!/bin/sh
# Certificates for site-to-central, with keytool only (docs/site-to-central.md explains each step).
# Usage: make-certs.sh DIR CENTRAL_HOST SITE... ; passwords from $STORE_PASSWORD (default: changeit).
# One CA signs the central's certificate and every site's; keep ca.p12 offline.
set -eu
dir=$1; central=$2; shift 2
pw=${STORE_PASSWORD:-changeit}
mkdir -p "$dir"; cd "$dir"
kt() { keytool "$@" -storepass "$pw" 2>/dev/null; }

# 1. the CA (EC P-256 keys: generated in milliseconds, small handshakes)
kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=Busbar CA" -ext bc:c -validity 3650 -keystore ca.p12
kt -exportcert -rfc -alias ca -keystore ca.p12 > ca.pem
# 2. the trust store both sides use: only this CA
kt -importcert -noprompt -alias ca -file ca.pem -keystore trust.p12

# 3. one key pair and CA-signed certificate per party; $1 name, $2 extra extensions
issue() {
  kt -genkeypair -alias "$1" -keyalg EC -groupname secp256r1 -dname "CN=$1" -validity 825 -keystore "$1.p12"
  kt -certreq -alias "$1" -keystore "$1.p12" > "$1.csr"
  kt -gencert -alias ca -keystore ca.p12 -infile "$1.csr" -rfc -validity 825 \
     -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth $2 > "$1.pem"
  kt -importcert -noprompt -alias ca -file ca.pem -keystore "$1.p12"
  kt -importcert -alias "$1" -file "$1.pem" -keystore "$1.p12"
  rm "$1.csr"
}
issue central "-ext san=dns:$central,dns:localhost,ip:127.0.0.1"
for site in "$@"; do issue "site-$site" ""; done
for f in *.pem; do printf '%s SHA-256 %s\n' "$f" "$(keytool -printcert -file "$f" | sed -n 's/.*SHA256: //p')"; done
