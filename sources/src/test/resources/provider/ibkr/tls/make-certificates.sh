#!/bin/sh
# Makes the keystores ProviderClientTlsTest serves its fake IBKR gateway with (run once; the files are committed).
# None names localhost, as the Client Portal gateway's own certificate does not. Password: changeit.
set -eu
cd "$(dirname "$0")"
rm -f self-signed.p12 expired.p12 unknown-authority.p12 gateway.csr gateway.crt
kt() { keytool "$@" -storetype PKCS12 -storepass changeit -noprompt; }
gen() { kt -genkeypair -keyalg EC -groupname secp256r1 "$@"; }
# A self-signed certificate for another host, valid for 100 years.
gen -keystore self-signed.p12 -alias gateway -dname CN=gateway.example -ext SAN=dns:gateway.example -validity 36500
# The same, expired: valid for two days, ten days ago.
gen -keystore expired.p12 -alias gateway -dname CN=gateway.example -ext SAN=dns:gateway.example \
    -startdate -10d -validity 2
# A certificate for another host signed by an authority nobody trusts (the chain: gateway, then the authority).
gen -keystore unknown-authority.p12 -alias ca -dname "CN=Unknown Test CA" -ext bc:c -validity 36500
gen -keystore unknown-authority.p12 -alias gateway -dname CN=gateway.example -ext SAN=dns:gateway.example \
    -validity 36500
kt -certreq -keystore unknown-authority.p12 -alias gateway -file gateway.csr
kt -gencert -keystore unknown-authority.p12 -alias ca -infile gateway.csr -outfile gateway.crt \
    -ext SAN=dns:gateway.example -validity 36500
kt -importcert -keystore unknown-authority.p12 -alias gateway -file gateway.crt
kt -delete -keystore unknown-authority.p12 -alias ca
rm -f gateway.csr gateway.crt
