-- POST /tokens with the body an MACP minter sends (scopes as in the contract's example).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"sender":"agent://bench","scopes":{"can_start_sessions":true,"is_observer":false,'
  .. '"allowed_modes":["macp.mode.decision.v1"],"max_open_sessions":1,'
  .. '"can_manage_mode_registry":false},"ttl_seconds":300}'
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
