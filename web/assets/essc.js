// The development e-SSC simulator (development mode only): the phone's 扫码 / 确认登录 / 取消
// as a chosen person, signed by the gateway with the development e-SSC key.

import { api } from "./api.js";
import { ID_TYPES } from "./documents.js";
import { h, replace } from "./dom.js";
import { LAST_QR_KEY } from "./login.js";

const form = document.getElementById("essc");
const result = document.getElementById("result");
const content = document.getElementById("qr-content");
const ACT_NAMES = { scan: "扫码", confirm: "确认登录", cancel: "取消" };
const STATUS_NAMES = {
  pending: "等待扫码",
  scanned: "已扫码,等待确认",
  select_enterprise: "已确认,请在电脑上选择单位",
  authenticated: "已登录",
  cancelled: "已取消",
  expired: "已过期",
  rejected: "已拒绝",
};

replace(document.getElementById("id-type"), Object.entries(ID_TYPES).map(([value, label]) => h("option", { value }, label)));

document.getElementById("pick").addEventListener("click", () => {
  const last = localStorage.getItem(LAST_QR_KEY);
  if (last) content.value = last;
  else replace(result, "没有找到登录页的二维码:请先在本浏览器中打开登录页,或粘贴二维码内容。");
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const act = event.submitter ? event.submitter.value : "scan";
  const data = Object.fromEntries(new FormData(form));
  replace(result, `${ACT_NAMES[act]}…`);
  result.className = "";
  try {
    const answer = await api.post("/api/v1/dev/essc/assertions", { act, ...data });
    replace(result, `${ACT_NAMES[act]}成功:${STATUS_NAMES[answer.status] || answer.status}`);
    result.className = "ok";
  } catch (error) {
    const fields = Object.entries(error.fields || {}).map(([name, messages]) => `${name}: ${[].concat(messages).join(";")}`);
    replace(result, [error.message, ...fields].join(" "));
    result.className = "error";
  }
});
