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
    if (!file) { say("Choose a file first.", "error"); return; }
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
        say("Uploading… " + Math.floor(100 * sent / total) + "% (" + sent + " of " + total + " bytes)");
      },
      onError: function (error) {
        var body = error.originalResponse ? error.originalResponse.getBody() : "";
        var detail = "";
        try { detail = JSON.parse(body).detail; } catch (e) { detail = ""; }
        say(detail ? "The archive refused the file: " + detail
                   : "Upload interrupted. Choose the same file again to resume where it stopped.", "error");
      },
      onSuccess: function (payload) {
        var sha = payload && payload.lastResponse ? payload.lastResponse.getHeader("Songkeeper-Sha256") : "";
        say("Stored. SHA-256 " + sha + ". Derivation and analysis are under way.", "ok");
        document.getElementById("after-upload").hidden = false;
      }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        say("Resuming an earlier upload of this file…");
      }
      upload.start();
    });
  });
})();
