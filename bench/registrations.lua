-- wrk script: each request registers the next enterprise of the bodies file (one JSON a line).
local bodies, i = {}, 0
local statuses = {}

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/v1/registrations", {["Content-Type"] = "application/json"}, bodies[i])
end
