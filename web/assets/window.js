// The agency window (manual 3.1.2): 选择用户类别 企业用户, search by credit code or unit number,
// the unit's information, 详细信息 (保险种类, 单位编号, 参保机构), and the business
// 公共服务单位用户授权: 注意事项, uploads with preview and 删除, the clerk list (添加), the
// relations of the selected clerk with those already granted marked yellow, 提交办理. Also
// 信用代码维护 for a unit whose credit code lags behind the enterprise's.

import { api, upload } from "./api.js";
import { insuranceName } from "./clerks.js";
import { canonicalDocument, documentError, ID_TYPES, normaliseDocument } from "./documents.js";
import { errorBox, h, inputField, replace, showFieldErrors } from "./dom.js";

const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function showWindow(main) {
  const query = h("input", { id: "window-query", autocomplete: "off", placeholder: "统一社会信用代码或单位编号" });
  const kind = h("select", { id: "window-kind" }, h("option", { value: "enterprise" }, "企业用户"));
  const results = h("div", { class: "window-results" });
  const search = async (event) => {
    event.preventDefault();
    const text = query.value.trim().toUpperCase();
    const param = USCC.test(text) ? `uscc=${encodeURIComponent(text)}` : `unit_no=${encodeURIComponent(query.value.trim())}`;
    try {
      const found = (await api.get(`/api/v1/agency/enterprises?${param}`)).items;
      replace(results, found.length ? found.map((e) => enterpriseCard(e)) : h("p", { class: "hint" }, "未找到该单位信息!"));
    } catch (error) {
      replace(results, errorBox(error));
    }
  };
  replace(
    main,
    h(
      "section",
      { class: "window" },
      h("h1", {}, "经办窗口"),
      h(
        "form",
        { role: "search", class: "search", onsubmit: search },
        h("label", { for: "window-kind" }, "用户类别"),
        kind,
        h("label", { for: "window-query" }, "单位"),
        query,
        h("button", { type: "submit", class: "primary" }, "搜索"),
      ),
      results,
    ),
  );
}

function enterpriseCard(enterprise) {
  const details = h("div", { class: "details", hidden: true });
  const work = h("div", { class: "window-work" });
  replace(
    details,
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["单位编号", "保险种类", "参保机构", "信用代码维护"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        enterprise.units.flatMap((unit) =>
          unit.relations.map((r, index) =>
            h(
              "tr",
              {},
              h("td", {}, unit.unit_no),
              h("td", {}, insuranceName(r.insurance)),
              h("td", {}, r.agency),
              h("td", {}, index === 0 ? creditCodeButton(unit.unit_no, enterprise.uscc) : ""),
            ),
          ),
        ),
      ),
    ),
  );
  return h(
    "article",
    { class: "enterprise-card" },
    h(
      "dl",
      { class: "facts" },
      [h("dt", {}, "单位名称"), h("dd", {}, enterprise.name)],
      [h("dt", {}, "统一社会信用代码"), h("dd", {}, enterprise.uscc)],
      [h("dt", {}, "单位地址"), h("dd", {}, enterprise.address || "")],
      [h("dt", {}, "法人姓名"), h("dd", {}, enterprise.legal_rep_name)],
      [h("dt", {}, "法人手机号"), h("dd", {}, enterprise.legal_rep_phone || "")],
    ),
    h(
      "p",
      { class: "actions" },
      h("button", { type: "button", onclick: () => (details.hidden = !details.hidden) }, "详细信息"),
      h("button", { type: "button", class: "primary", onclick: () => authorization(work, enterprise) }, "公共服务单位用户授权 · 业务办理"),
    ),
    details,
    work,
  );
}

function creditCodeButton(unitNo, uscc) {
  const status = h("span", { class: "hint" });
  return h(
    "span",
    {},
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          if (!window.confirm(`将单位编号 ${unitNo} 的统一社会信用代码维护为 ${uscc}?`)) return;
          try {
            await api.post(`/api/v1/agency/units/${encodeURIComponent(unitNo)}/credit-code`, { uscc });
            replace(status, " 已维护");
          } catch (error) {
            replace(status, h("span", { class: "field-error" }, ` ${error.message}`));
          }
        },
      },
      "信用代码维护",
    ),
    status,
  );
}

// 公共服务单位用户授权: materials, clerks, relations, 提交办理.
async function authorization(container, enterprise) {
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
