-- wrk script: GET LIST_PATH as TOKEN's account (the user center's listing).
wrk.method = "GET"
wrk.path = os.getenv("LIST_PATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
