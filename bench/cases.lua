-- wrk script: upload a 200 KB PDF, then submit a case with it (job-stabilisation-refund, whose
-- one material is that PDF), as TOKEN's account; uploads and submissions alternate through a
-- queue of uploaded attachment ids. done() prints how many cases were answered 201.
local f = assert(io.open(os.getenv("UPLOAD_BODY"), "rb"))
local upload_body = f:read("*a")
f:close()
local boundary, token, relation = os.getenv("UPLOAD_BOUNDARY"), os.getenv("TOKEN"), os.getenv("RELATION_ID")
local ready, submitted, refused = {}, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  local id = table.remove(ready)
  if id then
    local body = '{"item_code":"job-stabilisation-refund","relation_id":"' .. relation .. '",' ..
      '"form":{"year":2026,"insured_count":120,"laid_off_count":0,"is_labour_dispatch":false,' ..
      '"bank_name":"中国工商银行哈尔滨分行","bank_account":"6222021234567890123","contact_phone":"13900139000"},' ..
      '"attachments":{"dispatch-application":"' .. id .. '"}}'
    return wrk.format("POST", "/api/v1/cases",
      {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
  end
  return wrk.format("POST", "/api/v1/attachments",
    {["Content-Type"] = "multipart/form-data; boundary=" .. boundary, ["Authorization"] = "Bearer " .. token},
    upload_body)
end

function response(status, headers, body)
  local id = body:match('"attachment_id"%s*:%s*"([^"]+)"')
  if status == 201 and id and not body:match('"case_no"') then
    table.insert(ready, id)
  elseif status == 201 and body:match('"case_no"') then
    submitted = submitted + 1
  else
    refused = refused + 1
  end
  wrk.thread:set("submitted", submitted)
  wrk.thread:set("refused", refused)
end

function done(summary, latency, requests)
  local s, r = 0, 0
  for _, thread in ipairs(threads) do
    s = s + (thread:get("submitted") or 0)
    r = r + (thread:get("refused") or 0)
  end
  io.write(string.format("CASES_SUBMITTED %d\nCASES_REFUSED %d\n", s, r))
end
