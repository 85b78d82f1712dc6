// 办事中心 (manual 4): the business items by category with search, each item's 办理指南, and
// 立即办理: the form drawn from the item's JSON Schema, the materials it asks for (uploaded
// first), 提交办理 for one of the relations the user may act for.

import { api, upload } from "./api.js";
import { insuranceName } from "./clerks.js";
import { errorBox, h, replace, showFieldErrors } from "./dom.js";
import { renderForm } from "./forms.js";

const GUIDE = [
  ["implementing_agency", "实施机构"],
  ["legal_basis", "设定依据"],
  ["conditions", "受理条件"],
  ["process", "办理流程"],
  ["contact", "咨询方式"],
  ["hours", "办理时间"],
  ["time_limit", "办理时限"],
];

export async function showCatalogue(main, query) {
  const search = h("input", { id: "item-search", type: "search", value: query.get("q") || "", placeholder: "输入业务名称搜索" });
  const results = h("div", { class: "catalogue" });
  const load = async () => {
    const q = search.value.trim();
    let items;
    try {
      items = (await api.get(`/api/v1/business-items${q ? `?q=${encodeURIComponent(q)}` : ""}`)).items;
    } catch (error) {
      return replace(results, errorBox(error));
    }
    const categories = [...new Set(items.map((i) => i.category))];
    replace(
      results,
      items.length
        ? categories.map((category) =>
            h(
              "section",
              { class: "category" },
              h("h2", {}, category),
              h("ul", { class: "items" }, items.filter((i) => i.category === category).map(card)),
            ),
          )
        : h("p", { class: "hint" }, "没有找到相关业务。"),
    );
  };
  replace(
    main,
    h(
      "section",
      {},
      h("h1", {}, "办事中心"),
      h(
        "form",
        {
          role: "search",
          class: "search",
          onsubmit: (event) => {
            event.preventDefault();
            load();
          },
        },
        h("label", { for: "item-search" }, "搜索业务"),
        search,
        h("button", { type: "submit" }, "搜索"),
      ),
      results,
    ),
  );
  await load();
}

function card(item) {
  const code = encodeURIComponent(item.code);
  return h(
    "li",
    { class: "item-card" },
    h("h3", {}, item.name),
    h(
      "p",
      { class: "actions" },
      h("a", { class: "button", href: `#/business/${code}` }, "办理指南"),
      item.online
        ? h("a", { class: "button primary", href: `#/business/${code}/apply` }, "立即办理")
        : h("span", { class: "hint" }, "请到经办机构窗口办理"),
    ),
  );
}

// The catalogue changes only with a deployment (and the page with it): each item is fetched once.
const items = new Map();

export function item(code) {
  if (!items.has(code)) {
    const loading = api.get(`/api/v1/business-items/${encodeURIComponent(code)}`);
    loading.catch(() => items.delete(code)); // a failure is not remembered
    items.set(code, loading);
  }
  return items.get(code);
}

export async function showGuide(main, code) {
  let found;
  try {
    found = await item(code);
  } catch (error) {
    return replace(main, errorBox(error));
  }
  replace(
    main,
    h(
      "section",
      { class: "guide" },
      h("p", {}, h("a", { href: "#/business" }, "← 返回办事中心")),
      h("h1", {}, `${found.name} · 办理指南`),
      h("dl", { class: "facts" }, GUIDE.map(([key, term]) => [h("dt", {}, term), h("dd", {}, found.guide[key] || "")])),
      h("h2", {}, "申请材料"),
      h("ul", {}, found.materials.map((m) => h("li", {}, m.name, m.required ? "(必需)" : "(可选)"))),
      found.online
        ? h("p", {}, h("a", { class: "button primary", href: `#/business/${encodeURIComponent(code)}/apply` }, "立即办理"))
        : h("p", { class: "hint" }, "本业务请到经办机构窗口办理。"),
    ),
  );
}

export async function showApplication(main, code, me) {
  let found;
  let relations;
  try {
    [found, relations] = await Promise.all([item(code), api.get("/api/v1/insurance-relations").then((r) => r.items)]);
  } catch (error) {
    return replace(main, errorBox(error));
  }
  const usable = relations.filter((r) => found.insurance_types.includes(r.insurance));
  const relation = h(
    "select",
    { id: "relation" },
    usable.map((r) => h("option", { value: r.relation_id }, `单位编号 ${r.unit_no} · ${insuranceName(r.insurance)}`)),
  );
  const form = renderForm(found.form);
  const uploaded = {};
  const materials = found.materials.map((m) => materialField(m, uploaded));
  const message = h("div", { class: "form-message" });
  const submit = async (event) => {
    event.preventDefault();
    const whole = event.target;
    replace(message);
    showFieldErrors(whole, {});
    try {
      const result = await api.post("/api/v1/cases", {
        item_code: found.code,
        relation_id: relation.value,
        form: form.value(),
        attachments: { ...uploaded },
      });
      location.hash = `#/cases/${encodeURIComponent(result.case_no)}`;
    } catch (error) {
      const rest = showFieldErrors(whole, error.fields);
      replace(message, errorBox({ message: error.message, retryAfter: error.retryAfter, fields: rest }));
      message.scrollIntoView({ block: "nearest" });
    }
  };
  replace(
    main,
    h(
      "section",
      { class: "application" },
      h("p", {}, h("a", { href: `#/business/${encodeURIComponent(code)}` }, "← 办理指南")),
      h("h1", {}, found.name),
      usable.length
        ? h(
            "form",
            { novalidate: true, onsubmit: submit },
            h("label", { for: "relation" }, "参保关系"),
            relation,
            form.element,
            h("fieldset", { class: "materials" }, h("legend", {}, "上传材料"), materials),
            message,
            h("button", { type: "submit", class: "primary" }, "提交办理"),
          )
        : h("p", { class: "error", role: "alert" }, me.role === "clerk" ? "您没有可办理本业务的已授权参保关系。" : "本单位没有适用本业务的参保关系。"),
    ),
  );
}

export function materialField(material, uploaded, kept = null) {
  const id = `material-${material.code}`;
  const status = h("span", { class: "upload-status", role: "status" });
  const input = h("input", {
    id,
    type: "file",
    accept: material.accepted_types.join(","),
    onchange: async () => {
      const file = input.files[0];
      delete uploaded[material.code];
      if (!file) {
        if (kept) uploaded[material.code] = kept.attachment_id;
        return replace(status, kept ? `沿用:${kept.filename}` : "");
      }
      replace(status, "正在上传…");
      try {
        const done = await upload(file);
        uploaded[material.code] = done.attachment_id;
        replace(status, `已上传:${done.filename}`);
      } catch (error) {
        input.value = "";
        replace(status, h("span", { class: "field-error" }, error.message));
      }
    },
  });
  if (kept) {
    uploaded[material.code] = kept.attachment_id; // kept unless another file is chosen
    replace(status, `沿用:${kept.filename}`);
  }
  return h(
    "div",
    { class: "field", "data-path": `attachments.${material.code}` },
    h("label", { for: id }, material.name, material.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    input,
    status,
  );
}
