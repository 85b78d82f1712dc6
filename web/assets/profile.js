// 修改资料 (the legal representative's user center): the contact phone (联系电话, which the
// agency window shows), and setting or changing the account's password. Changing the password
// ends every other session of the account; this one stays.

import { api } from "./api.js";
import { errorBox, h, inputField, replace, showFieldErrors } from "./dom.js";

function contactForm() {
  const message = h("div", { class: "form-message", role: "status" });
  const phone = inputField("profile-phone", "phone", "联系电话", { type: "tel", inputmode: "tel", autocomplete: "tel" });
  const form = h(
    "form",
    {
      class: "contact",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        replace(message);
        showFieldErrors(form, {});
        try {
          const done = await api.put("/api/v1/account/contact", { phone: form.querySelector("#profile-phone").value.trim() });
          form.querySelector("#profile-phone").value = done.phone;
          replace(message, h("p", { class: "ok" }, "联系电话已修改。"));
        } catch (error) {
          const rest = showFieldErrors(form, error.fields);
          replace(message, errorBox({ message: error.message, retryAfter: error.retryAfter, fields: rest }));
        }
      },
    },
    phone,
    message,
    h("button", { type: "submit", class: "primary" }, "保存联系电话"),
  );
  api.get("/api/v1/account/contact").then(
    (contact) => (form.querySelector("#profile-phone").value = contact.phone || ""),
    (error) => replace(message, errorBox(error)),
  );
  return form;
}

export function showProfile(container) {
  const message = h("div", { class: "form-message", role: "status" });
  const field = (name, label, autocomplete) => inputField(`profile-${name}`, name, label, { type: "password", autocomplete });
  const form = h(
    "form",
    {
      class: "profile",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        replace(message);
        showFieldErrors(form, {});
        const data = Object.fromEntries(new FormData(form));
        if (data.new_password !== data.repeat) {
          showFieldErrors(form, { repeat: ["两次输入的新密码不一致"] });
          return;
        }
        try {
          const done = await api.put("/api/v1/account/password", {
            current_password: data.current_password || null,
            new_password: data.new_password,
          });
          form.reset();
          replace(message, h("p", { class: "ok" }, `密码已修改${done.sessions_ended ? `,其他${done.sessions_ended}处登录已退出` : ""}。`));
        } catch (error) {
          const rest = showFieldErrors(form, error.fields);
          replace(message, errorBox({ message: error.message, retryAfter: error.retryAfter, fields: rest }));
        }
      },
    },
    field("current_password", "原密码(尚未设置密码时不填)", "current-password"),
    field("new_password", "新密码(8至128位)", "new-password"),
    field("repeat", "再次输入新密码", "new-password"),
    message,
    h("button", { type: "submit", class: "primary" }, "保存密码"),
  );
  replace(
    container,
    h(
      "section",
      { class: "profile-module", "aria-labelledby": "profile-title" },
      h("h2", { id: "profile-title" }, "修改资料"),
      contactForm(),
      h("h3", {}, "密码"),
      form,
    ),
  );
}
