// 修改资料 (the legal representative's user center): set or change the account's password.
// Changing it ends every other session of the account; this one stays.

import { api } from "./api.js";
import { errorBox, h, inputField, replace, showFieldErrors } from "./dom.js";

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
    h("button", { type: "submit", class: "primary" }, "保存"),
  );
  replace(container, h("section", { class: "profile-module", "aria-labelledby": "profile-title" }, h("h2", { id: "profile-title" }, "修改资料"), form));
}
