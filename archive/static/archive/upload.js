/* The upload page: a resumable tus upload of the preservation master, with a progress bar.
   A dropped connection or a page reload resumes from the last byte the archive holds. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = document.getElementById("id_file");
  var bar = document.getElementById("progress");
  var status = document.getElementById("upload-status");
  var chunk = parseInt(form.dataset.chunkSize, 10) || 8 * 1024 * 1024;
  var retries = form.dataset.retries === "none" ? [] : [0, 1000, 3000, 5000, 10000];

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function say(text, kind) {
    status.textContent = text;
    status.className = "upload-status " + (kind || "");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = input.files[0];
    if (!file) { say(gettext("Choose a file first."), "error"); return; }
    if (!file.size) { say(gettext("The file is empty: choose the recording's audio file."), "error"); return; }
    bar.classList.remove("failed");
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
      },
      onSuccess: function (payload) {
        var sha = payload && payload.lastResponse ? payload.lastResponse.getHeader("Songkeeper-Sha256") : "";
        if (!sha) {  /* the archive did not say it stored anything: never report success */
          bar.classList.add("failed");
          say(gettext("The archive did not confirm that it stored the file. Try again."), "error");
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
        document.getElementById("after-upload").hidden = false;
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
})();
