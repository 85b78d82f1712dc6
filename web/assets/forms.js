// A business item's form, drawn from its JSON Schema (Draft 2020-12, the subset the catalogue
// uses): text, dates, numbers, yes/no, choices, several choices, and lists of rows. The server
// checks the form; each field carries its key (data-path "form.employees.1.hired_on") so that
// the server's errors can be shown at it (dom.showFieldErrors).

import { insuranceName } from "./clerks.js";
import { h } from "./dom.js";

export function renderForm(schema, initial = undefined) {
  const root = field(schema, "form", schema.title || "填报信息", true, initial);
  return {
    element: h("div", { class: "schema-form" }, root.element),
    value: () => root.value(),
  };
}

let counter = 0;
const nextId = () => `f${(counter += 1)}`;

function field(schema, path, label, required, initial) {
  if (schema.type === "object") return objectField(schema, path, label, initial);
  if (schema.type === "array" && schema.items && schema.items.type === "object") return rowsField(schema, path, label, initial);
  if (schema.type === "array" && schema.items && schema.items.enum) return choicesField(schema, path, label, initial);
  return scalarField(schema, path, label, required, initial);
}

function objectField(schema, path, label, initial) {
  const required = new Set(schema.required || []);
  const given = initial && typeof initial === "object" ? initial : {};
  const parts = Object.entries(schema.properties || {}).map(([name, sub]) => [
    name,
    field(sub, `${path}.${name}`, sub.title || name, required.has(name), given[name]),
  ]);
  const element = h("fieldset", { class: "object", "data-path": path }, h("legend", {}, label), parts.map(([, f]) => f.element));
  return {
    element,
    value() {
      const out = {};
      for (const [name, f] of parts) {
        const v = f.value();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}

function rowsField(schema, path, label, initial) {
  const rows = [];
  const list = h("div", { class: "rows" });
  const element = h("fieldset", { class: "rows-field", "data-path": path }, h("legend", {}, label));
  const renumber = () =>
    rows.forEach((row, index) => {
      row.legend.textContent = `${schema.items.title || "第"}${index + 1}`;
      row.element.dataset.path = `${path}.${index}`;
      for (const holder of row.element.querySelectorAll("[data-path]")) {
        holder.dataset.path = holder.dataset.path.replace(new RegExp(`^${escapeRe(path)}\\.\\d+`), `${path}.${index}`);
      }
    });
  const add = (value) => {
    const inner = objectField(schema.items, `${path}.${rows.length}`, "", value);
    const legend = inner.element.querySelector("legend");
    const row = { ...inner, legend };
    inner.element.append(
      h(
        "button",
        {
          type: "button",
          class: "link",
          onclick: () => {
            rows.splice(rows.indexOf(row), 1);
            inner.element.remove();
            renumber();
          },
        },
        "删除此行",
      ),
    );
    rows.push(row);
    list.append(inner.element);
    renumber();
  };
  element.append(list, h("button", { type: "button", onclick: () => add() }, "添加一行"));
  if (Array.isArray(initial) && initial.length) initial.forEach((value) => add(value));
  else for (let i = 0; i < Math.max(1, schema.minItems || 0); i += 1) add();
  return { element, value: () => rows.map((r) => r.value()) };
}

function choicesField(schema, path, label, initial) {
  const chosen = new Set(Array.isArray(initial) ? initial : []);
  const boxes = schema.items.enum.map((option) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", value: option, checked: chosen.has(option) }), ` ${insuranceOrText(option)}`),
  );
  const element = h("fieldset", { class: "choices", "data-path": path }, h("legend", {}, label), boxes);
  return {
    element,
    value: () => boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value),
  };
}

function scalarField(schema, path, label, required, initial) {
  const id = nextId();
  let input;
  if (schema.enum) {
    input = h("select", { id }, h("option", { value: "" }, "请选择"), schema.enum.map((v) => h("option", { value: v }, v)));
  } else if (schema.type === "boolean") {
    input = h("input", { id, type: "checkbox" });
  } else if (schema.type === "integer" || schema.type === "number") {
    input = h("input", {
      id,
      type: "number",
      step: schema.type === "integer" ? "1" : "any",
      min: schema.minimum,
      max: schema.maximum,
    });
  } else if (schema.format === "date") {
    input = h("input", { id, type: "date" });
  } else if ((schema.maxLength || 0) > 200) {
    input = h("textarea", { id, rows: "3", maxlength: schema.maxLength });
  } else {
    input = h("input", { id, type: "text", maxlength: schema.maxLength, autocomplete: "off" });
  }
  if (required) input.setAttribute("aria-required", "true");
  if (initial !== undefined && initial !== null) {
    if (schema.type === "boolean") input.checked = initial === true;
    else input.value = String(initial);
  }
  const hint = schema.description ? h("span", { class: "hint" }, ` ${schema.description}`) : null;
  const element = h(
    "div",
    { class: `field${schema.type === "boolean" ? " boolean" : ""}`, "data-path": path },
    h("label", { for: id }, label, required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null, hint),
    input,
  );
  return {
    element,
    value() {
      if (schema.type === "boolean") return input.checked;
      const raw = input.value.trim();
      if (raw === "") return undefined;
      if (schema.type === "integer" || schema.type === "number") {
        const n = Number(raw);
        return Number.isFinite(n) ? n : raw; // the server names what is wrong
      }
      return raw;
    },
  };
}

const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");


// A submitted form, read-only, with the schema's titles: rows of a list as a table.
export function formView(schema, value) {
  const titled = (key, sub) => (sub && sub.title) || key;
  const scalar = (sub, v) => {
    if (typeof v === "boolean") return v ? "是" : "否";
    if (Array.isArray(v)) return v.map((x) => (sub && sub.items && sub.items.enum ? insuranceOrText(x) : String(x))).join("、");
    return v === null || v === undefined ? "" : String(v);
  };
  const props = (schema && schema.properties) || {};
  const entries = Object.entries(value || {});
  return h(
    "dl",
    { class: "facts" },
    entries.map(([key, v]) => {
      const sub = props[key];
      if (Array.isArray(v) && v.length && typeof v[0] === "object") {
        const columns = Object.keys((sub && sub.items && sub.items.properties) || v[0]);
        const columnTitle = (c) => titled(c, sub && sub.items && sub.items.properties && sub.items.properties[c]);
        return [
          h("dt", {}, titled(key, sub)),
          h(
            "dd",
            { class: "table-wrap" },
            h(
              "table",
              {},
              h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, columnTitle(c))))),
              h("tbody", {}, v.map((row) => h("tr", {}, columns.map((c) => h("td", {}, scalar(null, row[c])))))),
            ),
          ),
        ];
      }
      return [h("dt", {}, titled(key, sub)), h("dd", {}, scalar(sub, v))];
    }),
  );
}

const INSURANCE_CODE = /^[1-5]10$|^120$/;
const insuranceOrText = (x) => (INSURANCE_CODE.test(String(x)) ? insuranceName(String(x)) : String(x));
