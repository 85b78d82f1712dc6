// 授权登录 (manual 3.1.1): the legal representative's clerks. 添加 (证件类型 and number, name, phone),
// 修改, 删除, and 单位授权: which of the enterprise's insurance relations each may act for.
// A clerk's user center has no such module, and the API refuses them (403) all the same.

import { api } from "./api.js";
import { documentError, ID_TYPES, normaliseDocument } from "./documents.js";
import { errorBox, h, replace } from "./dom.js";

const INSURANCE = { 110: "企业职工基本养老保险", 120: "机关事业单位养老保险", 210: "失业保险", 310: "基本医疗保险", 410: "工伤保险", 510: "生育保险" };

export function insuranceName(code) {
  return INSURANCE[code] ? `${INSURANCE[code]}(${code})` : code;
}

export async function showClerks(container) {
  const list = h("div", { class: "clerk-list" });
  const message = h("div", { class: "form-message" });
  let clerks = [];
  let chosen = null;

  const selected = () => clerks.find((c) => c.clerk_id === chosen);
  const needChoice = (then) => () => {
    replace(message);
    if (!selected()) return replace(message, h("p", { class: "error", role: "alert" }, "请先选中一名经办人。"));
    then(selected());
  };
  const load = async () => {
    try {
      clerks = (await api.get("/api/v1/clerks")).items;
    } catch (error) {
      return replace(list, errorBox(error));
    }
    if (!clerks.some((c) => c.clerk_id === chosen)) chosen = null;
    replace(list, table());
  };
  const table = () =>
    clerks.length
      ? h(
          "table",
          { class: "clerks" },
          h("thead", {}, h("tr", {}, ["选择", "证件类型", "证件号码", "姓名", "联系电话", "已授权参保关系"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            {},
            clerks.map((c) =>
              h(
                "tr",
                { dataset: { clerkId: c.clerk_id } },
                h(
                  "td",
                  {},
                  h("input", {
                    type: "radio",
                    name: "clerk",
                    value: c.clerk_id,
                    "aria-label": `选中${c.name}`,
                    checked: c.clerk_id === chosen,
                    onchange: () => (chosen = c.clerk_id),
                  }),
                ),
                h("td", {}, ID_TYPES[c.id_type] || c.id_type),
                h("td", {}, c.id_number),
                h("td", {}, c.name),
                h("td", {}, c.phone),
                h("td", {}, c.relation_ids.length ? c.relation_ids.join("、") : "未授权"),
              ),
            ),
          ),
        )
      : h("p", { class: "hint" }, "尚未添加经办人。");

  replace(
    container,
    h(
      "section",
      { class: "clerks-module", "aria-labelledby": "clerks-title" },
      h("h2", { id: "clerks-title" }, "授权登录"),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "primary", onclick: () => clerkDialog(null, load) }, "添加"),
        h("button", { type: "button", onclick: needChoice((c) => clerkDialog(c, load)) }, "修改"),
        h(
          "button",
          {
            type: "button",
            onclick: needChoice(async (c) => {
              if (!window.confirm(`确定删除经办人${c.name}?其授权将一并撤销。`)) return;
              try {
                await api.del(`/api/v1/clerks/${encodeURIComponent(c.clerk_id)}`);
                await load();
              } catch (error) {
                replace(message, errorBox(error));
              }
            }),
          },
          "删除",
        ),
        h("button", { type: "button", onclick: needChoice((c) => grantDialog(c, load)) }, "单位授权"),
      ),
      message,
      list,
      h("p", { class: "hint" }, "注:若填写的经办人证件号码或姓名错误,则无法扫码登录。"),
    ),
  );
  await load();
}

function modal(title, content, onSubmit) {
  const dialog = h("dialog", { class: "form-dialog", "aria-label": title });
  const message = h("div", { class: "form-message" });
  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        replace(message);
        try {
          await onSubmit();
          dialog.close();
          dialog.remove();
        } catch (error) {
          replace(message, errorBox(error));
        }
      },
    },
    h("h3", {}, title),
    content,
    message,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary" }, "保存"),
      h("button", { type: "button", onclick: () => (dialog.close(), dialog.remove()) }, "取消"),
    ),
  );
  dialog.append(form);
  dialog.addEventListener("cancel", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

function clerkDialog(clerk, done) {
  const field = (id, label, value, attrs = {}) => [
    h("label", { for: id }, label),
    h("input", { id, value: value || "", autocomplete: "off", ...attrs }),
  ];
  const content = h(
    "div",
    {},
    h("label", { for: "clerk-id-type" }, "证件类型"),
    h(
      "select",
      { id: "clerk-id-type" },
      Object.entries(ID_TYPES).map(([value, label]) => h("option", { value, selected: clerk ? clerk.id_type === value : value === "resident_id" }, label)),
    ),
    field("clerk-id-number", "证件号码", "", { placeholder: clerk ? `原:${clerk.id_number},请重新填写` : "" }),
    field("clerk-name", "姓名", clerk && clerk.name),
    field("clerk-phone", "联系电话", clerk && clerk.phone, { inputmode: "tel" }),
  );
  const dialog = modal(clerk ? "修改经办人" : "添加经办人", content, async () => {
    const person = {
      id_type: dialog.querySelector("#clerk-id-type").value,
      id_number: normaliseDocument(dialog.querySelector("#clerk-id-number").value),
      name: dialog.querySelector("#clerk-name").value.trim(),
      phone: dialog.querySelector("#clerk-phone").value.trim(),
    };
    const wrong = person.id_number ? documentError(person.id_type, person.id_number) : "请填写证件号码";
    if (wrong) throw new Error(wrong);
    if (clerk) await api.put(`/api/v1/clerks/${encodeURIComponent(clerk.clerk_id)}`, person);
    else await api.post("/api/v1/clerks", person);
    await done();
  });
  dialog.querySelector("#clerk-id-type").focus();
}

async function grantDialog(clerk, done) {
  let relations;
  try {
    relations = (await api.get("/api/v1/insurance-relations")).items;
  } catch (error) {
    return window.alert(error.message);
  }
  const held = new Set(clerk.relation_ids);
  const boxes = relations.map((r) =>
    h(
      "label",
      { class: `check${held.has(r.relation_id) ? " granted" : ""}` },
      h("input", { type: "checkbox", value: r.relation_id, checked: held.has(r.relation_id) }),
      ` 单位编号 ${r.unit_no} · ${insuranceName(r.insurance)} · ${r.agency}`,
    ),
  );
  const content = h("fieldset", {}, h("legend", {}, `授权给 ${clerk.name} 的参保关系`), boxes);
  modal("单位授权", content, async () => {
    const relation_ids = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
    await api.put(`/api/v1/clerks/${encodeURIComponent(clerk.clerk_id)}/grants`, { relation_ids });
    await done();
  });
}
