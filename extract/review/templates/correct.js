  // Correcting what planx extracted: each row accepted, rejected or edited; an item planx missed
  // added from a selection in the text or promoted from a candidate. The decisions are kept in
  // localStorage under each document's key (its file's sha256), so they survive a reload and a
  // page made again by a new rules version, and are exported as gold JSON Lines, which
  // `planx gold merge` folds into a gold folder. Inlined in the viewer's function, it reads the
  // viewer only through `view`.
  function corrections(view) {
    var data = view.data, rows = view.rows, el = view.el;
    var FORMS = data.review.forms, KEYS = data.review.keys;
    var EXPORT = data.review.export;
    // The stored state's format: a page made by a later planx starts afresh rather than misread it.
    var STORE = "planx-review:", VERSION = 1;
    var reviewable = data.documents.filter(function (d) { return d.key; });
    var docById = {}, states = {}, rowKeys = [], texts = {};
    var count = document.getElementById("review-count"), note = document.getElementById("review-note");
    var added = document.getElementById("added"), addedBox = document.getElementById("added-box");
    var addbar = document.getElementById("addbar"), status = document.getElementById("f-status");
    var clear = document.getElementById("r-clear");
    var storageProblem = "";
    data.documents.forEach(function (d) { docById[d.doc_id] = d; });

    if (!reviewable.length) {
      document.getElementById("review").hidden = true;
      status.hidden = true;
      return;
    }

    // --- the records -----------------------------------------------------------------------
    // A gold record in the order a gold file has its fields (tests/gold/README.md).
    function record(table, doc, quote, optional, fields) {
      var out = { table: table, doc: doc, quote: quote, optional: optional };
      FORMS[table].forEach(function (f) { out[f.name] = fields[f.name] === undefined ? null : fields[f.name]; });
      return out;
    }
    function proposed(r) { return record(r.t, r.d, r.q, false, r.gold); }
    // Records made by record() have their keys in one order, so their JSON compares them.
    function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
    function canReview(r) { return Boolean(r.q && docById[r.d].key); }

    // --- the store -------------------------------------------------------------------------
    // A row's key in its document's state: its table, offsets and rank among its table's rows
    // at those offsets (one value can give several targets), which a page made again from the
    // same text keeps.
    var ranks = {};
    rows.forEach(function (r) {
      var key = [r.t, r.s, r.e].join(":"), rank = (ranks[r.d + "\n" + key] || 0) + 1;
      ranks[r.d + "\n" + key] = rank;
      rowKeys[r.i] = key + ":" + rank;
    });
    function emptyState(d) { return { version: VERSION, doc: d.doc_id, rows: {}, added: [] }; }
    function load(d) {
      try {
        var stored = JSON.parse(window.localStorage.getItem(STORE + d.key) || "null");
        return stored && stored.version === VERSION ? stored : emptyState(d);
      } catch (err) {
        storageProblem = String(err.message || err);
        return emptyState(d);
      }
    }
    function save(d) {
      try {
        window.localStorage.setItem(STORE + d.key, JSON.stringify(states[d.doc_id]));
        storageProblem = "";
      } catch (err) {
        storageProblem = String(err.message || err);
      }
    }
    reviewable.forEach(function (d) {
      var state = load(d), present = {};
      rows.forEach(function (r) { if (r.d === d.doc_id) present[rowKeys[r.i]] = 1; });
      Object.keys(state.rows).forEach(function (key) {
        if (present[key]) return;
        // A row an earlier rules version extracted and this one does not: what the researcher
        // accepted of it is still gold; what they rejected is gone.
        if (state.rows[key].status !== "rejected") state.added.push({ record: state.rows[key].record, from: "earlier review" });
        delete state.rows[key];
      });
      states[d.doc_id] = state;
    });
    function decisionOf(r) { return states[r.d] && states[r.d].rows[rowKeys[r.i]]; }

    // --- the document's text, and offsets in it ----------------------------------------------
    // The text is the lines the page shows joined by line breaks: the normalised text, so a
    // quote sliced from it is a substring of the text planx read.
    function textInfo(docId) {
      if (!texts[docId]) {
        var box = view.main.querySelector('.doc[data-doc="' + CSS.escape(docId) + '"] .text');
        var lines = box ? Array.prototype.slice.call(box.querySelectorAll(".ln")) : [], starts = [], at = 0;
        lines.forEach(function (line) { starts.push(at); at += line.textContent.length + 1; });
        texts[docId] = { box: box, lines: lines, starts: starts,
                         text: lines.map(function (line) { return line.textContent; }).join("\n") };
      }
      return texts[docId];
    }
    // The offset in the text of a point of a selection; a point between lines is the next line's start.
    function pointOffset(info, node, offset) {
      var point = document.createRange();
      point.setStart(node, offset);
      for (var k = 0; k < info.lines.length; k++) {
        var line = info.lines[k];
        if (line.contains(node)) {
          var before = document.createRange();
          before.setStart(line, 0);
          before.setEnd(node, offset);
          return info.starts[k] + before.toString().length;
        }
        if (point.comparePoint(line, 0) >= 0) return info.starts[k];
      }
      return info.text.length;
    }
    function locate(docId, quote) {
      var info = textInfo(docId), at = info.text.indexOf(quote), k = info.lines.length - 1;
      if (at < 0) return;
      while (k > 0 && info.starts[k] > at) k--;
      view.scrollWithin(view.main, info.lines[k]);
      view.flash([info.lines[k]]);
    }

    // --- the form ----------------------------------------------------------------------------
    // A form for a record's fields; onSave gets the record as edited, once every value is valid.
    function editor(rec, onSave, onCancel) {
      var form = el("form", "editor"), problem = el("div", "problem");
      form.appendChild(el("div", "quote", "quote: " + rec.quote));
      FORMS[rec.table].concat([{ name: "optional", type: "boolean", values: [] }]).forEach(function (f) {
        var label = el("label"), input;
        label.appendChild(el("span", "", f.name === "optional" ? "optional (borderline)" : f.name));
        if (f.type === "boolean") {
          input = el("input");
          input.type = "checkbox";
          input.checked = rec[f.name] === true;
        } else if (f.values.length) {
          input = el("select");
          [""].concat(f.values).forEach(function (v) {
            var option = el("option", "", v || "—");
            option.value = v;
            input.appendChild(option);
          });
          input.value = rec[f.name] || "";
        } else {
          input = el("input");
          input.type = "text";
          input.value = rec[f.name] === null ? "" : String(rec[f.name]);
          if (f.type !== "string") input.inputMode = "decimal";
        }
        input.name = f.name;
        label.appendChild(input);
        form.appendChild(label);
      });
      form.appendChild(problem);
      var saveButton = el("button", "", "save"), cancel = el("button", "", "cancel");
      saveButton.type = "submit";
      cancel.type = "button";
      form.appendChild(saveButton);
      form.appendChild(cancel);
      cancel.addEventListener("click", onCancel);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var fields = {}, wrong = "";
        FORMS[rec.table].forEach(function (f) {
          var input = form.elements[f.name], text = input.value.trim(), value = text === "" ? null : text;
          if (f.type === "boolean") value = input.checked;
          else if (value !== null && f.type !== "string") {
            value = Number(text);
            if (!isFinite(value) || (f.type === "integer" && Math.floor(value) !== value)) {
              wrong = wrong || f.name + " must be " + (f.type === "integer" ? "a whole number" : "a number (万, 亿 folded in)");
            }
          }
          fields[f.name] = value;
        });
        if (!fields[KEYS[rec.table]]) wrong = wrong || KEYS[rec.table] + " must be given";
        if (wrong) { problem.textContent = wrong; return; }
        onSave(record(rec.table, rec.doc, rec.quote, form.elements.optional.checked, fields));
      });
      return form;
    }
    function changes(from, to) {
      return Object.keys(to).filter(function (k) { return JSON.stringify(from[k]) !== JSON.stringify(to[k]); })
        .map(function (k) { return k + " " + (from[k] === null ? "—" : from[k]) + " → " + (to[k] === null ? "—" : to[k]); })
        .join(", ");
    }

    // --- the rows ------------------------------------------------------------------------------
    function decide(r, decision) {
      if (decision) states[r.d].rows[rowKeys[r.i]] = decision;
      else delete states[r.d].rows[rowKeys[r.i]];
      save(docById[r.d]);
      showRow(r);
      showCount();
      if (status.value) view.refilter();
    }
    function accept(r) {
      var decision = decisionOf(r);
      if (decision && decision.status === "accepted") return decide(r, null);
      if (!r.gold[KEYS[r.t]]) return edit(r);  // a row without its key field is no gold record yet
      decide(r, { status: "accepted", record: proposed(r) });
    }
    function reject(r) {
      var decision = decisionOf(r);
      decide(r, decision && decision.status === "rejected" ? null : { status: "rejected", record: proposed(r) });
    }
    function edit(r) {
      var li = view.items[r.i], open = li.querySelector(".editor");
      if (open) { open.remove(); return; }
      var decision = decisionOf(r), start = decision && decision.status !== "rejected" ? decision.record : proposed(r);
      var form = editor(start, function (rec) {
        form.remove();
        decide(r, { status: same(rec, proposed(r)) ? "accepted" : "edited", record: rec });
      }, function () { form.remove(); });
      li.appendChild(form);
      form.elements[0].focus();
    }
    function button(cls, text, title, act) {
      var b = el("button", cls, text);
      b.type = "button";
      b.title = title;
      b.addEventListener("click", act);
      return b;
    }
    function showRow(r) {
      var li = view.items[r.i], decision = decisionOf(r), acts = li.querySelector(".acts");
      var shown = li.querySelector(".changes");
      if (!acts) return;
      ["accepted", "rejected", "edited"].forEach(function (s) {
        li.classList.toggle("st-" + s, Boolean(decision) && decision.status === s);
      });
      acts.querySelector(".b-accept").classList.toggle("on", Boolean(decision) && decision.status === "accepted");
      acts.querySelector(".b-reject").classList.toggle("on", Boolean(decision) && decision.status === "rejected");
      acts.querySelector(".b-edit").classList.toggle("on", Boolean(decision) && decision.status === "edited");
      if (shown) shown.remove();
      if (decision && decision.status === "edited") li.appendChild(el("span", "changes", changes(proposed(r), decision.record)));
    }
    rows.forEach(function (r) {
      var li = view.items[r.i];
      if (!canReview(r)) {
        li.appendChild(el("span", "sub", "not in the text: cannot be reviewed"));
        return;
      }
      var acts = el("span", "acts");
      acts.appendChild(button("b-accept", "✓", "accept: the row is right as it stands", function () { accept(r); }));
      acts.appendChild(button("b-reject", "✗", "reject: the row is wrong", function () { reject(r); }));
      acts.appendChild(button("b-edit", "✎", "edit the row's fields", function () { edit(r); }));
      li.insertBefore(acts, li.firstChild);
      showRow(r);
    });

    // --- the items added by the researcher --------------------------------------------------
    function keep(docId, item) {
      states[docId].added.push(item);
      save(docById[docId]);
      showAdded();
    }
    // A new item: its form first; it is added once saved.
    function propose(docId, rec, from) {
      var li = el("li", "added-item");
      var form = editor(rec, function (edited) {
        li.remove();
        keep(docId, { record: edited, from: from });
      }, function () { li.remove(); addedBox.hidden = !added.children.length; });
      li.appendChild(form);
      added.insertBefore(li, added.firstChild);
      addedBox.hidden = false;
      form.elements[0].focus();
    }
    function showAdded() {
      added.textContent = "";
      reviewable.forEach(function (d) {
        states[d.doc_id].added.forEach(function (item, n) {
          var rec = item.record, li = el("li", "added-item"), acts = el("span", "acts");
          acts.appendChild(button("b-edit", "✎", "edit its fields", function () {
            if (li.querySelector(".editor")) return;
            li.appendChild(editor(rec, function (edited) {
              states[d.doc_id].added[n] = { record: edited, from: item.from };
              save(d);
              showAdded();
            }, showAdded));
          }));
          acts.appendChild(button("b-reject", "✗", "remove it", function () {
            states[d.doc_id].added.splice(n, 1);
            save(d);
            showAdded();
          }));
          li.appendChild(acts);
          li.appendChild(el("span", "badge b-" + rec.table, rec.table.charAt(0).toUpperCase()));
          li.appendChild(document.createTextNode(rec[KEYS[rec.table]] + (rec.table === "targets" && rec.value !== null ?
            " " + rec.value + (rec.unit || "") : "")));
          li.appendChild(el("span", "sub", item.from + " · " + rec.quote));
          li.addEventListener("click", function (e) { if (!e.target.closest(".acts, .editor")) locate(d.doc_id, rec.quote); });
          added.appendChild(li);
        });
      });
      addedBox.hidden = !added.children.length;
      showCount();
    }

    // A selection in a document's text, trimmed of white space: { doc, quote, range }, or null.
    function selected() {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
      var range = selection.getRangeAt(0);
      var start = elementOf(range.startContainer).closest(".doc"), end = elementOf(range.endContainer).closest(".doc");
      if (!start || start !== end || !docById[start.dataset.doc].key) return null;
      var info = textInfo(start.dataset.doc);
      if (!info.box.contains(range.startContainer) && !info.box.contains(range.endContainer)) return null;
      var a = pointOffset(info, range.startContainer, range.startOffset);
      var b = pointOffset(info, range.endContainer, range.endOffset);
      while (a < b && /\s/.test(info.text.charAt(a))) a++;
      while (b > a && /\s/.test(info.text.charAt(b - 1))) b--;
      return a < b ? { doc: start.dataset.doc, quote: info.text.slice(a, b), range: range } : null;
    }
    function elementOf(node) { return node.nodeType === 1 ? node : node.parentElement; }
    // What a selection suggests for each table's fields; a first guess the form lets the researcher fix.
    function guess(table, quote) {
      var number = /\d+(?:\.\d+)?(?![\d.年])/.exec(quote), year = /((?:19|20)\d\d)年/.exec(quote), fields = {};
      fields[KEYS[table]] = quote.replace(/[。；;]$/, "");
      if (table === "targets") {
        fields.kind = "target";
        fields.comparator = "=";
        fields.target_year = year ? Number(year[1]) : null;
        if (number) {
          fields.value = Number(number[0]);
          fields.indicator = quote.slice(0, number.index).replace(/^[，。；、\s]+|[，。；、\s]+$/g, "") || quote;
        }
      } else if (table === "deadlines") {
        fields.kind = "by";
        fields.end_year = year ? Number(year[1]) : null;
      } else if (table === "areas") {
        fields.canonical = fields.area;
        fields.responsible = true;
      } else if (table === "agencies") {
        fields.role = "responsible";
      }
      return fields;
    }
    var pending = null, waiting = null;
    function offerAdd() {
      pending = selected();
      addbar.hidden = !pending;
      if (!pending) return;
      var box = pending.range.getBoundingClientRect();
      addbar.style.left = Math.max(0, Math.min(box.left, window.innerWidth - addbar.offsetWidth - 4)) + "px";
      addbar.style.top = Math.min(box.bottom + 6, window.innerHeight - addbar.offsetHeight - 4) + "px";
    }
    document.addEventListener("selectionchange", function () {
      clearTimeout(waiting);
      waiting = setTimeout(offerAdd, 150);  // not at every step of a drag
    });
    // Clicking the toolbar must not end the selection it acts on.
    addbar.addEventListener("mousedown", function (e) { e.preventDefault(); });
    addbar.addEventListener("click", function (e) {
      var table = e.target.dataset.table;
      if (!table || !pending) return;
      propose(pending.doc, record(table, pending.doc, pending.quote, false, guess(table, pending.quote)), "selection");
      window.getSelection().removeAllRanges();
      addbar.hidden = true;
    });

    // A candidate clicked in the text (while candidates are shown) can be promoted with one click.
    view.main.addEventListener("click", function (e) {
      view.candidatesAt(e.target).forEach(function (i) {
        var c = data.candidates[i], card = view.candidateCard(c);
        if (docById[c.d].key) {
          card.appendChild(button("promote", "promote to " + c.table, "add it as a row of " + c.table, function (ev) {
            var rec = record(c.table, c.d, c.q, false, c.gold);
            if (rec[KEYS[c.table]]) keep(c.d, { record: rec, from: "candidate" });
            else propose(c.d, rec, "candidate");
            ev.target.disabled = true;
            ev.target.textContent = "promoted";
          }));
        }
        view.detail.appendChild(card);
      });
    });

    // --- counts, export, clearing -----------------------------------------------------------
    function tally(d) {
      var t = { doc: d.doc_id, sha256: d.key, rows: 0, reviewed: 0, accepted: 0, edited: 0, rejected: 0,
                added: states[d.doc_id].added.length };
      rows.forEach(function (r) {
        if (r.d !== d.doc_id || !canReview(r)) return;
        var decision = decisionOf(r);
        t.rows++;
        if (decision) { t.reviewed++; t[decision.status]++; }
      });
      return t;
    }
    function summary(tallies) {
      var sum = { rows: 0, reviewed: 0, accepted: 0, edited: 0, rejected: 0, added: 0 };
      tallies.forEach(function (t) { Object.keys(sum).forEach(function (k) { sum[k] += t[k]; }); });
      return sum.reviewed + " of " + sum.rows + " rows reviewed (" + sum.accepted + " accepted, " + sum.edited +
        " edited, " + sum.rejected + " rejected) · " + sum.added + " added";
    }
    function showCount() {
      count.textContent = summary(reviewable.map(tally));
      if (storageProblem) {
        note.textContent = "Corrections are not kept here (" + storageProblem + "): export them before leaving " +
          "the page.";
        note.className = "warn";
      }
    }
    // The export: a header line with each document's counts, then a gold record per accepted
    // or edited row and per added item. Rejected and unreviewed rows give nothing. Records take
    // the document's id of today, should a page of another run have stored them under another.
    function exportText() {
      var lines = [], header = {};
      header[EXPORT.mark] = EXPORT.version;
      header.documents = reviewable.map(tally);
      reviewable.forEach(function (d) {
        var own = function (rec) { return Object.assign({}, rec, { doc: d.doc_id }); };
        rows.forEach(function (r) {
          var decision = r.d === d.doc_id && decisionOf(r);
          if (decision && decision.status !== "rejected") lines.push(own(decision.record));
        });
        states[d.doc_id].added.forEach(function (item) { lines.push(own(item.record)); });
      });
      return { count: lines.length, header: header,
               text: [header].concat(lines).map(function (line) { return JSON.stringify(line); }).join("\n") + "\n" };
    }
    document.getElementById("r-export").addEventListener("click", function () {
      var made = exportText(), link = el("a");
      var name = data.documents.length === 1 ? data.documents[0].doc_id : "planx-review";
      link.href = URL.createObjectURL(new Blob([made.text], { type: "application/x-ndjson" }));
      link.download = name.replace(/[^\w\u4e00-\u9fff-]+/g, "_") + ".gold.jsonl";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      note.className = "";
      note.textContent = "Exported " + made.count + " gold records: " + summary(made.header.documents) +
        ". Then: planx gold merge " + link.download + " --into GOLD_DIR";
    });
    // Two clicks, since forgetting cannot be undone (a sandboxed frame may not show confirm()).
    function disarm() {
      clear.classList.remove("armed");
      clear.textContent = "clear review";
    }
    clear.addEventListener("click", function () {
      if (!clear.classList.contains("armed")) {
        clear.classList.add("armed");
        clear.textContent = "click again to forget every correction";
        setTimeout(disarm, 4000);
        return;
      }
      reviewable.forEach(function (d) {
        states[d.doc_id] = emptyState(d);
        save(d);
      });
      disarm();
      rows.forEach(function (r) { if (canReview(r)) showRow(r); });
      showAdded();
    });

    view.filters.push(function (r) {
      var decision = decisionOf(r);
      if (!status.value) return true;
      return status.value === "none" ? !decision : Boolean(decision) && decision.status === status.value;
    });
    status.addEventListener("change", view.refilter);
    document.getElementById("f-reset").addEventListener("click", function () {
      status.value = "";
      view.refilter();
    });
    reviewable.forEach(save);  // what an earlier rules version's page kept, moved over
    showAdded();
  }
