/* Bulk ingest from the browser: a CSV manifest and its audio files chosen (or dropped) together.
   Every row is checked by the archive before anything is written; then the good rows' files go up
   one by one with tus (resumable: a reload and the same choice continue where they stopped, the
   batch's id kept in localStorage), and the ingest job starts once they have all arrived. */
(function () {
  "use strict";
  var form = document.getElementById("batch-form");
  if (!form) return;
  var input = document.getElementById("id_batch_files");
  var zone = document.getElementById("dropzone");
  var status = document.getElementById("batch-status");
  var table = document.getElementById("batch-rows");
  var rows = table.querySelector("tbody");
  var send = document.getElementById("batch-send");
  var chosenLine = document.getElementById("batch-chosen");
  var chunk = parseInt(form.dataset.chunkSize, 10) || 8 * 1024 * 1024;
  var retries = form.dataset.retries === "none" ? [] : [0, 1000, 3000, 5000, 10000];
  var files = [];

  function csrf() { return form.querySelector("input[name=csrfmiddlewaretoken]").value; }
  function say(text, kind) { status.textContent = text; status.className = "upload-status " + (kind || ""); }
  function isManifest(file) { return /\.csv$/i.test(file.name) || file.type === "text/csv"; }
  function manifestOf() { return files.filter(isManifest); }
  function audio() { return files.filter(function (f) { return !isManifest(f); }); }
  function memoryKey(manifest) { return ["songkeeper-batch", manifest.name, manifest.size, manifest.lastModified].join("/"); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function choose(list) {
    files = Array.prototype.slice.call(list);
    table.hidden = true;
    send.hidden = true;
    say("");
    chosenLine.textContent = interpolate(ngettext("%(n)s file chosen", "%(n)s files chosen", files.length),
                                         { n: files.length }, true);
  }
  input.addEventListener("change", function () { choose(input.files); });
  zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("over");
    choose(event.dataTransfer.files);
  });

  function payload() {
    var manifests = manifestOf();
    if (manifests.length !== 1) {
      say(gettext("Choose one CSV manifest together with the audio files it names."), "error");
      return null;
    }
    var data = new FormData();
    data.append("manifest", manifests[0]);
    data.append("files", JSON.stringify(audio().map(function (f) { return { name: f.name, size: f.size }; })));
    return data;
  }
  function call(method, url, data) {
    return fetch(url, { method: method, body: data, credentials: "same-origin",
                        headers: { "X-CSRFToken": csrf(), "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; }); });
  }

  function showRows(checked) {
    rows.textContent = "";
    table.hidden = false;
    checked.forEach(function (row) {
      var tr = el("tr", { "data-file": row.file, "class": row.ok ? "ok" : "refused" });
      tr.appendChild(el("td", {}, String(row.line)));
      var file = el("td", { "dir": "ltr" }, row.file);
      tr.appendChild(file);
      tr.appendChild(el("td", { "dir": "auto" }, row.title));
      tr.appendChild(el("td", { "class": row.ok ? "verdict ok" : "verdict error" },
                        row.ok ? gettext("ready") : row.errors.join("; ")));
      var cell = el("td", { "class": "sent" });
      if (row.ok) {
        var bar = el("progress", { "max": "1", "value": "0" });
        bar.hidden = true;
        cell.appendChild(bar);
        cell.appendChild(el("span", { "class": "sent-note" }, ""));
      }
      tr.appendChild(cell);
      rows.appendChild(tr);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = payload();
    if (!data) return;
    say(gettext("Checking every row…"));
    call("POST", form.dataset.check, data).then(function (res) {
      if (!res.ok) { say(gettext("The archive refused the manifest:") + " " + res.body.detail, "error"); return; }
      showRows(res.body.rows);
      var ok = res.body.ok, refused = res.body.refused;
      say(interpolate(gettext("%(ok)s row(s) ready, %(refused)s refused: nothing has been written yet."),
                      { ok: ok, refused: refused }, true), refused ? "error" : "ok");
      if (ok) {
        send.hidden = false;
        send.disabled = false;
        send.textContent = interpolate(ngettext("Send %(n)s file and ingest its row", "Send %(n)s files and ingest their rows", ok),
                                       { n: ok }, true);
      }
    }, function () { say(gettext("The archive could not be reached. Try again."), "error"); });
  });

  function remembered(manifest) {
    var id = window.localStorage.getItem(memoryKey(manifest));
    if (!id) return Promise.resolve(null);
    return call("GET", form.dataset.batches + id + "/").then(function (res) {
      if (res.ok && !res.body.job) return res.body;
      window.localStorage.removeItem(memoryKey(manifest));
      return null;
    });
  }

  send.addEventListener("click", function () {
    var data = payload();
    if (!data) return;
    send.disabled = true;
    var manifest = manifestOf()[0];
    remembered(manifest).then(function (batch) {
      if (batch) { say(gettext("Resuming the earlier sending of these files…")); return batch; }
      return call("POST", form.dataset.batches, data).then(function (res) {
        if (!res.ok) throw new Error(res.body.detail);
        window.localStorage.setItem(memoryKey(manifest), res.body.id);
        return res.body;
      });
    }).then(function (batch) { return sendAll(batch).then(function () { return start(batch, manifest); }); })
      .catch(function (error) {
        say(error.message, "error");
        send.disabled = false;
      });
  });

  function sendAll(batch) {
    var byName = {};
    audio().forEach(function (f) { byName[f.name] = f; });
    var waiting = batch.files.filter(function (f) {
      if (f.complete) mark(f.name, gettext("arrived"), 1);
      return !f.complete;
    }).map(function (f) { return f.name; });
    return waiting.reduce(function (chain, name) {
      return chain.then(function () {
        if (!byName[name]) throw new Error(interpolate(gettext("Choose “%(file)s” again with the others."), { file: name }, true));
        return sendOne(batch, byName[name]);
      });
    }, Promise.resolve());
  }

  function rowOf(name) {
    var found = null;
    rows.querySelectorAll("tr").forEach(function (tr) { if (tr.dataset.file === name) found = tr; });
    return found;
  }
  function mark(name, note, share) {
    var tr = rowOf(name);
    if (!tr || !tr.querySelector("progress")) return;
    var bar = tr.querySelector("progress");
    bar.hidden = false;
    bar.value = share;
    tr.querySelector(".sent-note").textContent = note;
  }

  function sendOne(batch, file) {
    return new Promise(function (resolve, reject) {
      var upload = new tus.Upload(file, {
        endpoint: batch.uploads,
        chunkSize: chunk,
        retryDelays: retries,
        removeFingerprintOnSuccess: true,
        headers: { "X-CSRFToken": csrf() },
        metadata: { batch: batch.id, filename: file.name },
        fingerprint: function (f) { return Promise.resolve(["songkeeper-batch", batch.id, f.name, f.size, f.lastModified].join("/")); },
        onProgress: function (sent, total) { mark(file.name, Math.floor(100 * sent / total) + "%", sent / total); },
        onError: function (error) {
          var body = error.originalResponse ? error.originalResponse.getBody() : "";
          var detail = "";
          try { detail = JSON.parse(body).detail; } catch (e) { detail = ""; }
          var tr = rowOf(file.name);
          if (tr) tr.querySelector("progress").classList.add("failed");
          reject(new Error(detail ? gettext("The archive refused the file:") + " " + file.name + ": " + detail
                                  : gettext("Upload interrupted. Choose the same files again to resume where it stopped.")));
        },
        onSuccess: function (result) {
          var sha = result && result.lastResponse ? result.lastResponse.getHeader("Songkeeper-Sha256") : "";
          if (!sha) { reject(new Error(gettext("The archive did not confirm that it stored the file. Try again."))); return; }
          mark(file.name, gettext("arrived"), 1);
          resolve();
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    });
  }

  function start(batch, manifest) {
    return call("POST", batch.start).then(function (res) {
      if (!res.ok) throw new Error(res.body.detail);
      window.localStorage.removeItem(memoryKey(manifest));
      say(gettext("Every file arrived; the ingest is under way…"), "ok");
      window.location.assign(res.body.page);
    });
  }
})();
