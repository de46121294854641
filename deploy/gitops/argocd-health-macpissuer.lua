-- Argo CD health check for macp.io/MacpIssuer (resource.customizations.health.macp.io_MacpIssuer).
-- Healthy: Ready=True for the current generation. Degraded: something a person must fix (an
-- invalid spec, a corrupt key Secret, an unusable mint Secret, failing reconciles). Progressing:
-- everything else (no status yet, an old generation, replicas still starting).
-- Tested against real statuses by ArgoHealthCheckTest; keep argocd-cm-health.yaml identical.
local hs = {}
hs.status = "Progressing"
hs.message = "waiting for the operator to report status"
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.message = "the operator has not yet observed generation " .. obj.metadata.generation
  return hs
end
local degraded = {
  InvalidSpec = true, KeySetCorrupt = true, MintSecretUnusable = true, ReconcileFailed = true
}
local ready = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "InvalidSpec" and c.status == "True" then
    hs.status = "Degraded"
    hs.message = c.message or "the spec is invalid"
    return hs
  end
  if c.type == "Ready" then
    ready = c
  end
end
if ready == nil then
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
elseif degraded[ready.reason] then
  hs.status = "Degraded"
end
hs.message = (ready.reason or "") .. ": " .. (ready.message or "")
return hs
