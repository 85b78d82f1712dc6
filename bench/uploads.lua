-- wrk script: each request uploads the same multipart body (UPLOAD_BODY) as TOKEN's account.
local f = assert(io.open(os.getenv("UPLOAD_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.path = "/api/v1/attachments"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("UPLOAD_BOUNDARY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
