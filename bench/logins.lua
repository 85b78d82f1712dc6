-- wrk script: each request logs in with the next account of the bodies file (one JSON a line).
local bodies, i = {}, 0

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, bodies[i])
end
