// 注册 (manual 5.1): the legal representative registers the enterprise. The code's and the ID
// number's check characters are computed as the user types (GB 32100-2015, GB 11643-1999), so
// a mistyped character is pointed out before the form is sent; the server checks everything.

import { api } from "./api.js";
import { idCheck } from "./documents.js";
import { errorBox, h, inputField, replace, showFieldErrors } from "./dom.js";

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

export function usccCheck(first17) {
  let total = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) return null;
    total += value * (3 ** i % 31);
  }
  return USCC_ALPHABET[(31 - (total % 31)) % 31];
}

// The hint under a code field: what the 18th character must be, or what is wrong so far.
function hint(value, check, what) {
  const text = value.trim().toUpperCase();
  if (!text) return "";
  if (text.length < 17) return `已输入${text.length}位,共18位`;
  const expected = check(text.slice(0, 17));
  if (expected === null) return `前17位含有${what}不允许的字符`;
  if (text.length === 17) return `第18位校验码应为 ${expected}`;
  if (text.length > 18) return "超出18位";
  return text[17] === expected ? "校验码正确" : `校验码不正确,第18位应为 ${expected}`;
}

export function showRegistration(main) {
  const message = h("div", { class: "form-message" });
  const input = (name, label, attrs = {}, hintOf = null) => {
    const id = `reg-${name}`;
    const live = hintOf ? h("p", { class: "hint live-hint", id: `${id}-hint`, "aria-live": "polite" }) : null;
    const field = inputField(id, name, label, { autocomplete: "off", ...(live ? { "aria-describedby": live.id } : {}), ...attrs }, live);
    const element = field.querySelector("input");
    if (hintOf) element.addEventListener("input", () => (live.textContent = hintOf(element.value)));
    return field;
  };
  const form = h(
    "form",
    {
      class: "registration",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        replace(message);
        showFieldErrors(form, {});
        const data = Object.fromEntries(new FormData(form));
        if (!data.password) delete data.password;
        data.uscc = (data.uscc || "").trim().toUpperCase();
        data.legal_rep_id = (data.legal_rep_id || "").trim().toUpperCase();
        try {
          await api.post("/api/v1/registrations", data);
          replace(
            form,
            h("div", { class: "ok", role: "status" }, h("p", {}, "注册成功!请使用法人电子社保卡扫码登录。"), h("a", { class: "button primary", href: "#/" }, "返回首页")),
          );
        } catch (error) {
          const rest = showFieldErrors(form, error.fields);
          replace(message, errorBox({ message: error.message, retryAfter: error.retryAfter, fields: rest }));
        }
      },
    },
    input("uscc", "统一社会信用代码", { maxlength: "18", autocapitalize: "characters" }, (v) => hint(v, usccCheck, "统一社会信用代码")),
    input("name", "单位名称", { maxlength: "100" }),
    input("legal_rep_name", "法人姓名", { maxlength: "50" }),
    input("legal_rep_id", "法人身份证号", { maxlength: "18" }, (v) => hint(v, idCheck, "身份证号")),
    input("phone", "联系电话", { inputmode: "tel", maxlength: "11" }),
    input("password", "登录密码(可不设,使用扫码登录)", { type: "password", autocomplete: "new-password" }),
    message,
    h("button", { type: "submit", class: "primary" }, "注册"),
  );
  replace(main, h("section", { class: "register" }, h("h1", {}, "法人注册"), form));
}
