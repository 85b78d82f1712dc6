// The public HTTP API, as the pages call it: same origin, the session in an HttpOnly cookie,
// the CSRF token (a readable cookie) sent back on every state-changing call.

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const error = (body && body.error) || {};
    super(error.message || (status === 0 ? "无法连接服务器,请检查网络后重试。" : `请求失败(${status})`));
    this.status = status;
    this.code = error.code || (status === 0 ? "NETWORK" : "UNKNOWN");
    this.fields = error.fields || {};
    this.details = error.details || {};
    this.retryAfter = retryAfter ? Number(retryAfter) : null;
  }
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
}

export async function call(method, path, { body, form, headers = {}, session = false, signal } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json"; // a form sets its own multipart type
  if (!["GET", "HEAD"].includes(method)) {
    const csrf = cookie("hrss_csrf");
    if (csrf) sent["X-CSRF-Token"] = csrf;
  }
  if (session) sent["X-HRSS-Session"] = "cookie"; // a login: the session comes back as a cookie
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      body: form !== undefined ? form : body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (exc) {
    if (exc.name === "AbortError") throw exc;
    throw new ApiError(0, null, null);
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("application/json") ? await response.json() : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data, response.headers.get("Retry-After"));
    if (error.code === "UNAUTHENTICATED" || error.code === "CSRF_TOKEN_INVALID") {
      window.dispatchEvent(new CustomEvent("hrss:session-ended", { detail: error }));
    }
    throw error;
  }
  return data;
}

// An attachment (PNG, JPEG or PDF, judged by its bytes): its {attachment_id, filename, …}.
export function upload(file) {
  const form = new FormData();
  form.append("file", file, file.name);
  return call("POST", "/api/v1/attachments", { form });
}

export const api = {
  get: (path, options) => call("GET", path, options),
  post: (path, body, options = {}) => call("POST", path, { ...options, body }),
  put: (path, body, options = {}) => call("PUT", path, { ...options, body }),
  del: (path, options) => call("DELETE", path, options),
};
