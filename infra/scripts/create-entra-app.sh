#!/usr/bin/env bash
# azd preprovision hook: makes sure the Entra app registration used by Easy Auth exists and that its client id is
# stored in the azd environment as ENTRA_CLIENT_ID (main.parameters.json passes it to the entraClientId parameter).
#
# - Does nothing when ENTRA_CLIENT_ID is already set (e.g. an admin created the registration by hand).
# - Otherwise creates (or, after a half-finished earlier run, reuses) the registration "FunctionsPortal (<env>)":
#   single tenant, identifier URI api://<appId>, ID tokens for web sign-in, app roles Portal.Admin / Portal.Reviewer.
# - The redirect URI and the federated credential for the managed identity need provisioning outputs; they are set by
#   the postprovision hook configure-entra-app.sh.
#
# Needs: az (signed in to the target tenant, allowed to create app registrations) and azd.
set -euo pipefail

existing_client_id="$(azd env get-value ENTRA_CLIENT_ID 2>/dev/null || true)"
if [[ "$existing_client_id" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "ENTRA_CLIENT_ID is already set ($existing_client_id); leaving the app registration alone."
  exit 0
fi

env_name="${AZURE_ENV_NAME:-$(azd env get-value AZURE_ENV_NAME)}"
display_name="FunctionsPortal (${env_name})"

new_uuid() {
  if command -v uuidgen >/dev/null 2>&1; then
    uuidgen | tr '[:upper:]' '[:lower:]'
  else
    cat /proc/sys/kernel/random/uuid
  fi
}

# Reuse a registration left behind by an earlier run that failed before "azd env set" (avoids duplicates).
app_id="$(az ad app list --display-name "$display_name" --query '[0].appId' -o tsv)"

if [[ -z "$app_id" ]]; then
  roles_file="$(mktemp)"
  trap 'rm -f "$roles_file"' EXIT
  cat >"$roles_file" <<JSON
[
  {
    "id": "$(new_uuid)",
    "allowedMemberTypes": ["User"],
    "displayName": "Portal administrator",
    "description": "Staff who administer the portal: manage vendors, assessments and settings.",
    "value": "Portal.Admin",
    "isEnabled": true
  },
  {
    "id": "$(new_uuid)",
    "allowedMemberTypes": ["User"],
    "displayName": "Portal reviewer",
    "description": "Staff who review vendor submissions.",
    "value": "Portal.Reviewer",
    "isEnabled": true
  }
]
JSON

  echo "Creating Entra app registration '$display_name'..."
  app_id="$(az ad app create \
    --display-name "$display_name" \
    --sign-in-audience AzureADMyOrg \
    --enable-id-token-issuance true \
    --app-roles "@$roles_file" \
    --query appId -o tsv)"
else
  echo "Reusing existing Entra app registration '$display_name' ($app_id)."
fi

# api://<appId> is always accepted as identifier URI (no verified domain needed); Easy Auth's allowedAudiences uses it.
az ad app update --id "$app_id" --identifier-uris "api://$app_id"

if ! az ad sp show --id "$app_id" --query id -o tsv >/dev/null 2>&1; then
  echo "Creating the service principal (enterprise application)..."
  az ad sp create --id "$app_id" --query id -o tsv >/dev/null
fi

azd env set ENTRA_CLIENT_ID "$app_id"
echo "ENTRA_CLIENT_ID=$app_id stored in the azd environment."
echo "Assign staff to the Portal.Admin / Portal.Reviewer roles under Enterprise applications > '$display_name'."
