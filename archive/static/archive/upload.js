/* The upload page: the preservation master by a resumable tus upload with a progress bar (a dropped
   connection or a page reload resumes from the last byte the archive holds), and with it, chosen or
   dropped together, scores and transcripts, each attached with a progress bar of its own. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = document.getElementById("id_file");
  var zone = document.getElementById("upload-drop");
  var bar = document.getElementById("progress");
  var status = document.getElementById("upload-status");
  var others = document.getElementById("other-files");
  var chunk = parseInt(form.dataset.chunkSize, 10) || 8 * 1024 * 1024;
  var retries = form.dataset.retries === "none" ? [] : [0, 1000, 3000, 5000, 10000];
  var AUDIO = /\.(wav|bwf|flac|aiff?|ogg|oga|opus|mp3|m4a)$/i;
  var SCORE = /\.(abc|xml|musicxml|mxl|midi?|krn)$/i;
  var TRANSCRIPT = /\.(vtt|srt|eaf|textgrid)$/i;

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function say(text, kind) {
    status.textContent = text;
    status.className = "upload-status " + (kind || "");
  }
  function isAudio(file) { return AUDIO.test(file.name) || (file.type.indexOf("audio/") === 0 && !SCORE.test(file.name)); }

  zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("over");
    input.files = event.dataTransfer.files;
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) { say(gettext("Choose a file first."), "error"); return; }
    var audio = files.filter(isAudio);
    var rest = files.filter(function (f) { return !isAudio(f); });
    if (audio.length > 1) {
      say(gettext("Choose one audio file: a recording keeps one preservation master."), "error");
      return;
    }
    if (audio.length && !audio[0].size) { say(gettext("The file is empty: choose the recording's audio file."), "error"); return; }
    others.textContent = "";
    var first = audio.length ? sendAudio(audio[0]) : Promise.resolve(true);
    first.then(function () {
      return rest.reduce(function (chain, file) { return chain.then(function () { return attach(file); }); }, Promise.resolve());
    }).then(function () { document.getElementById("after-upload").hidden = false; });
  });

  function sendAudio(file) {
    bar.classList.remove("failed");
    return new Promise(function (resolve) {
      var upload = new tus.Upload(file, {
        endpoint: form.dataset.endpoint,
        chunkSize: chunk,
        retryDelays: retries,
        removeFingerprintOnSuccess: true,
        headers: { "X-CSRFToken": csrfToken() },
        metadata: { recording: form.dataset.recording, filename: file.name },
        onProgress: function (sent, total) {
          bar.max = total;
          bar.value = sent;
          say(interpolate(gettext("Uploading… %(percent)s (%(sent)s of %(total)s bytes)"),
                          { percent: Math.floor(100 * sent / total) + "%", sent: sent, total: total }, true));
        },
        onError: function (error) {
          var body = error.originalResponse ? error.originalResponse.getBody() : "";
          var detail = "";
          try { detail = JSON.parse(body).detail; } catch (e) { detail = ""; }
          bar.classList.add("failed");
          say(detail ? gettext("The archive refused the file:") + " " + detail
                     : gettext("Upload interrupted. Choose the same file again to resume where it stopped."), "error");
          resolve(false);
        },
        onSuccess: function (payload) {
          var sha = payload && payload.lastResponse ? payload.lastResponse.getHeader("Songkeeper-Sha256") : "";
          if (!sha) {  /* the archive did not say it stored anything: never report success */
            bar.classList.add("failed");
            say(gettext("The archive did not confirm that it stored the file. Try again."), "error");
            resolve(false);
            return;
          }
          say(interpolate(gettext("Stored. SHA-256 %(sha)s. Derivation and analysis are under way."), { sha: sha }, true), "ok");
          var same = payload.lastResponse.getHeader("Songkeeper-Same-As");
          if (same) {  /* the same bytes are already another recording's audio, one this person may see */
            var note = document.createElement("p"), link = document.createElement("a");
            note.id = "same-as";
            note.textContent = gettext("The same file is already the audio of another recording:") + " ";
            link.href = same;
            link.textContent = gettext("open it");
            note.appendChild(link);
            status.after(note);
          }
          resolve(true);
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) {
          upload.resumeFromPreviousUpload(previous[0]);
          say(gettext("Resuming an earlier upload of this file…"));
        }
        upload.start();
      });
    });
  }

  /* A score or a transcript: one request with its own progress bar and verdict. */
  function attach(file) {
    var li = document.createElement("li"), name = document.createElement("bdi"), row = document.createElement("progress");
    var verdict = document.createElement("span");
    li.className = "file";
    li.dataset.name = file.name;
    name.textContent = file.name;
    row.max = 1;
    row.value = 0;
    verdict.className = "verdict";
    li.appendChild(name);
    li.appendChild(row);
    li.appendChild(verdict);
    others.appendChild(li);
    var url = SCORE.test(file.name) ? form.dataset.scores : TRANSCRIPT.test(file.name) ? form.dataset.transcripts : null;
    if (!url) {
      row.classList.add("failed");
      verdict.textContent = gettext("neither audio, a score nor a transcript: not sent");
      verdict.className = "verdict error";
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append("file", file);
      if (url === form.dataset.transcripts) data.append("layer", file.name.replace(/\.[^.]+$/, ""));
      var request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("X-CSRFToken", csrfToken());
      request.setRequestHeader("Accept", "application/json");
      request.upload.onprogress = function (e) { if (e.lengthComputable) row.value = e.loaded / e.total; };
      request.onload = function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
        if (request.status === 201) {
          row.value = 1;
          verdict.textContent = url === form.dataset.scores ? gettext("score attached")
            : interpolate(ngettext("%(n)s annotation added", "%(n)s annotations added", body.created), { n: body.created }, true);
          verdict.className = "verdict ok";
        } else {
          row.classList.add("failed");
          verdict.textContent = gettext("The archive refused the file:") + " " + (body.detail || request.status);
          verdict.className = "verdict error";
        }
        resolve();
      };
      request.onerror = function () {
        row.classList.add("failed");
        verdict.textContent = gettext("The archive could not be reached. Try again.");
        verdict.className = "verdict error";
        resolve();
      };
      request.send(data);
    });
  }
})();
