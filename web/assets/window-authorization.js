// 公共服务单位用户授权 at the agency window (manual 3.1.2): 注意事项, uploads with preview and
// 删除, the clerk list (添加, with 证件类型 and the number checked by its type's rule), the
// relations of the selected clerk with those already granted marked yellow, 提交办理.

import { api, upload } from "./api.js";
import { insuranceName } from "./clerks.js";
import { canonicalDocument, documentError, ID_TYPES, normaliseDocument } from "./documents.js";
import { errorBox, h, inputField, replace, showFieldErrors } from "./dom.js";

export async function showAuthorization(container, enterprise) {
  let item = null;
  try {
    item = await api.get("/api/v1/business-items/clerk-authorization");
  } catch {
    /* the notes are a help, not a condition */
  }
  const attachments = []; // {attachment_id, filename, content_type}
  const clerks = []; // {id_type, id_number, name, phone}
  const grants = new Map(); // "id_type id_number" → {clerk, relation_ids: Set}
  let selected = null;

  const files = h("ul", { class: "uploads" });
  const drawFiles = () =>
    replace(
      files,
      attachments.map((a) =>
        h(
          "li",
          {},
          a.content_type.startsWith("image/")
            ? h("img", { src: `/api/v1/attachments/${encodeURIComponent(a.attachment_id)}`, alt: a.filename, class: "preview" })
            : h("a", { href: `/api/v1/attachments/${encodeURIComponent(a.attachment_id)}`, target: "_blank", rel: "noopener" }, a.filename),
          h("span", {}, ` ${a.filename} `),
          h("button", { type: "button", onclick: () => (attachments.splice(attachments.indexOf(a), 1), drawFiles()) }, "删除"),
        ),
      ),
    );
  const fileStatus = h("span", { class: "upload-status", role: "status" });
  const fileInput = h("input", {
    id: "window-file",
    type: "file",
    accept: "image/png,image/jpeg,application/pdf",
    onchange: async () => {
      const file = fileInput.files[0];
      if (!file) return;
      replace(fileStatus, "正在上传…");
      try {
        attachments.push(await upload(file));
        replace(fileStatus);
        drawFiles();
      } catch (error) {
        replace(fileStatus, h("span", { class: "field-error" }, error.message));
      }
      fileInput.value = "";
    },
  });

  const clerkList = h("div", { class: "window-clerks" });
  const relationList = h("div", { class: "window-relations" });
  const drawClerks = () =>
    replace(
      clerkList,
      clerks.length
        ? h(
            "table",
            {},
            h("thead", {}, h("tr", {}, ["选择", "证件类型", "证件号码", "姓名", "联系电话"].map((t) => h("th", { scope: "col" }, t)))),
            h(
              "tbody",
              {},
              clerks.map((c) =>
                h(
                  "tr",
                  {},
                  h("td", {}, h("input", { type: "radio", name: "window-clerk", "aria-label": `选中${c.name}`, checked: selected === c, onchange: () => selectClerk(c) })),
                  h("td", {}, ID_TYPES[c.id_type]),
                  h("td", {}, c.id_number),
                  h("td", {}, c.name),
                  h("td", {}, c.phone),
                ),
              ),
            ),
          )
        : h("p", { class: "hint" }, "请添加办事员。"),
    );
  const selectClerk = async (clerk) => {
    selected = clerk;
    replace(relationList, h("p", { class: "hint" }, "正在加载…"));
    let relations;
    try {
      const query = new URLSearchParams({ clerk_id_type: clerk.id_type, clerk_id_number: clerk.id_number });
      relations = (await api.get(`/api/v1/agency/enterprises/${encodeURIComponent(enterprise.uscc)}/relations?${query}`)).items;
    } catch (error) {
      return replace(relationList, errorBox(error));
    }
    const key = `${clerk.id_type} ${clerk.id_number}`;
    const chosen = grants.has(key) ? grants.get(key).relation_ids : new Set();
    grants.set(key, { clerk, relation_ids: chosen });
    replace(
      relationList,
      h(
        "fieldset",
        {},
        h("legend", {}, `授权单位列表 · ${clerk.name}(黄色为已有经办权限)`),
        relations.map((r) =>
          h(
            "label",
            { class: `check${r.granted ? " granted" : ""}`, dataset: { relationId: r.relation_id, granted: String(r.granted) } },
            h("input", {
              type: "checkbox",
              value: r.relation_id,
              checked: chosen.has(r.relation_id),
              onchange: (event) => (event.target.checked ? chosen.add(r.relation_id) : chosen.delete(r.relation_id)),
            }),
            ` 单位编号 ${r.unit_no} · ${insuranceName(r.insurance)} · ${r.agency}${r.granted ? "(已授权)" : ""}`,
          ),
        ),
      ),
    );
  };
  const addClerk = h(
    "form",
    {
      class: "add-clerk",
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        const data = Object.fromEntries(new FormData(addClerk));
        const person = { id_type: data.id_type, id_number: normaliseDocument(data.id_number), name: data.name.trim(), phone: data.phone.trim() };
        const numberError = person.id_number ? documentError(person.id_type, person.id_number) : "请填写证件号码";
        if (numberError || !person.name || !person.phone) {
          showFieldErrors(addClerk, { id_number: numberError ? [numberError] : [], name: person.name ? [] : ["请填写姓名"], phone: person.phone ? [] : ["请填写联系电话"] });
          return;
        }
        [person.id_type, person.id_number] = canonicalDocument(person.id_type, person.id_number); // one person, one row
        showFieldErrors(addClerk, {});
        const same = clerks.findIndex((c) => c.id_type === person.id_type && c.id_number === person.id_number);
        if (same >= 0) clerks.splice(same, 1); // the same person again: corrected
        clerks.push(person);
        addClerk.reset();
        selected = person;
        drawClerks();
        selectClerk(person);
      },
    },
    h(
      "div",
      { class: "field" },
      h("label", { for: "window-id-type" }, "证件类型"),
      h("select", { id: "window-id-type", name: "id_type" }, Object.entries(ID_TYPES).map(([value, label]) => h("option", { value }, label))),
    ),
    inputField("window-id-number", "id_number", "证件号码", { autocomplete: "off" }),
    inputField("window-clerk-name", "name", "办事员姓名", { autocomplete: "off" }),
    inputField("window-clerk-phone", "phone", "办事员联系电话", { inputmode: "tel" }),
    h("button", { type: "submit" }, "添加并保存"),
  );
  const message = h("div", { class: "form-message" });
  const submit = async () => {
    replace(message);
    const body = {
      uscc: enterprise.uscc,
      attachment_ids: attachments.map((a) => a.attachment_id),
      clerks,
      grants: [...grants.values()]
        .filter((g) => g.relation_ids.size)
        .map((g) => ({ id_type: g.clerk.id_type, id_number: g.clerk.id_number, relation_ids: [...g.relation_ids] })),
    };
    try {
      const done = await api.post("/api/v1/agency/authorizations", body);
      replace(container, h("div", { class: "ok", role: "status" }, h("p", {}, `办理成功(${done.submission_id})。`), done.clerks.map((c) => h("p", {}, `${c.name}:${(c.relation_ids || []).join("、") || "未授权"}`))));
    } catch (error) {
      replace(message, errorBox(error));
    }
  };

  replace(
    container,
    h(
      "section",
      { class: "window-authorization", "aria-labelledby": "window-auth-title" },
      h("h2", { id: "window-auth-title" }, "公共服务单位用户授权"),
      h("dl", { class: "facts" }, [h("dt", {}, "单位名称"), h("dd", {}, enterprise.name)], [h("dt", {}, "统一社会信用代码"), h("dd", {}, enterprise.uscc)]),
      h(
        "fieldset",
        {},
        h("legend", {}, "上传附件"),
        h(
          "div",
          { class: "notes" },
          h("h3", {}, "注意事项"),
          item ? h("p", {}, item.guide.conditions) : null,
          item ? h("ul", {}, item.materials.map((m) => h("li", {}, m.name))) : null,
          h("p", { class: "hint" }, "请按要求上传对应附件(PNG、JPEG 或 PDF,每份不超过10MB)。"),
        ),
        h("label", { for: "window-file" }, "上传材料"),
        fileInput,
        fileStatus,
        files,
      ),
      h("fieldset", {}, h("legend", {}, "办事员列表信息"), addClerk, clerkList),
      relationList,
      message,
      h("button", { type: "button", class: "primary", onclick: submit }, "提交办理"),
    ),
  );
  drawFiles();
  drawClerks();
}
