// Building the page without innerHTML: every text goes in as text, never as markup.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = value;
    } else if (name === "dataset") {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// A labelled input that carries its key (data-path) for the server's field errors; ``after``
// goes under the input (a hint).
export function inputField(id, name, label, attrs = {}, after = null) {
  return h("div", { class: "field", "data-path": name }, h("label", { for: id }, label), h("input", { id, name, ...attrs }), after);
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function formatTime(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

// An error where the user acted: the catalogue's text (the manual's), and the fields' own.
export function errorBox(error) {
  const lines = [error.message];
  if (error.retryAfter) lines.push(`请${error.retryAfter}秒后重试。`);
  const fields = Object.entries(error.fields || {});
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", {}, lines.join("")),
    fields.length ? h("ul", {}, fields.map(([name, messages]) => h("li", {}, `${name}: ${[].concat(messages).join(";")}`))) : null,
  );
}

// The server's field errors ("form.employees.1.hired_on", "attachments.licence", "phone") shown
// at the element whose data-path is that key; those with no such element are returned.
export function showFieldErrors(container, fields) {
  for (const node of container.querySelectorAll(".field-error")) node.remove();
  for (const node of container.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  const unplaced = {};
  for (const [path, messages] of Object.entries(fields || {})) {
    if (![].concat(messages).length) continue; // no message: the field is good
    const holder = container.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (!holder) {
      unplaced[path] = messages;
      continue;
    }
    const id = `err-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
    holder.append(h("p", { class: "field-error", id }, [].concat(messages).join(";")));
    const input = holder.querySelector("input, select, textarea");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
    }
  }
  return unplaced;
}
