#!/usr/bin/env bash
# azd postprovision hook: finishes the Easy Auth app registration once the function app exists.
#   1. adds https://<host>/.auth/login/aad/callback to the registration's web redirect URIs (keeps existing ones);
#   2. adds a federated identity credential that trusts the user-assigned managed identity, so Easy Auth signs in
#      without a client secret (app setting OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID).
# Idempotent: safe to run on every provision.
#
# Needs: az (signed in, allowed to update the registration) and azd.
set -euo pipefail

env_values="$(azd env get-values)"

# Prints the value of KEY from the `azd env get-values` output (lines like KEY="value").
env_value() {
  local line
  line="$(grep -E "^$1=" <<<"$env_values" | tail -n 1 || true)"
  line="${line#*=}"
  line="${line#\"}"
  printf '%s' "${line%\"}"
}

require() {
  local value
  value="$(env_value "$1")"
  if [[ -z "$value" ]]; then
    echo "error: $1 is not set in the azd environment (run 'azd provision' first)." >&2
    exit 1
  fi
  printf '%s' "$value"
}

client_id="$(require ENTRA_CLIENT_ID)"
portal_uri="$(require SERVICE_PORTAL_URI)"
tenant_id="$(require AZURE_TENANT_ID)"
identity_principal_id="$(require AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)"

# --- 1. Redirect URI --------------------------------------------------------------------------------------------
callback_uri="${portal_uri%/}/.auth/login/aad/callback"
current_uris="$(az ad app show --id "$client_id" --query 'web.redirectUris[]' -o tsv)"

if grep -Fxq "$callback_uri" <<<"$current_uris"; then
  echo "Redirect URI $callback_uri already registered."
else
  # Keep the existing URIs (e.g. localhost for development) and append the callback (plain loop: works on bash 3.2).
  redirect_uris=()
  while IFS= read -r uri; do
    if [[ -n "$uri" ]]; then redirect_uris+=("$uri"); fi
  done <<<"$current_uris"
  redirect_uris+=("$callback_uri")
  echo "Adding redirect URI $callback_uri..."
  az ad app update --id "$client_id" --web-redirect-uris "${redirect_uris[@]}"
fi

# --- 2. Federated identity credential for the managed identity ------------------------------------------------------
credential_name="portal-managed-identity"
login_endpoint="$(az cloud show --query endpoints.activeDirectory -o tsv)"
issuer="${login_endpoint%/}/${tenant_id}/v2.0"

existing_subject="$(az ad app federated-credential list --id "$client_id" \
  --query "[?name=='$credential_name'].subject | [0]" -o tsv)"

if [[ -n "$existing_subject" ]]; then
  if [[ "$existing_subject" != "$identity_principal_id" ]]; then
    echo "warning: federated credential '$credential_name' trusts $existing_subject, not the current identity" \
      "$identity_principal_id. Delete it and rerun this script: az ad app federated-credential delete" \
      "--id $client_id --federated-credential-id $credential_name" >&2
  else
    echo "Federated credential '$credential_name' already exists."
  fi
  exit 0
fi

credential_file="$(mktemp)"
trap 'rm -f "$credential_file"' EXIT
cat >"$credential_file" <<JSON
{
  "name": "$credential_name",
  "issuer": "$issuer",
  "subject": "$identity_principal_id",
  "audiences": ["api://AzureADTokenExchange"],
  "description": "Easy Auth on the portal function app signs in as this app with the user-assigned managed identity."
}
JSON

echo "Creating federated credential '$credential_name' for the managed identity $identity_principal_id..."
az ad app federated-credential create --id "$client_id" --parameters "@$credential_file" --query name -o tsv
