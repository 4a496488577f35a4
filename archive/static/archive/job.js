/* Follows a job: polls /api/jobs/{id}/ until it has succeeded or failed, and shows its result. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  function text(id, value) { document.getElementById(id).textContent = value || ""; }
  var states = JSON.parse(document.getElementById("job-states").textContent);
  function show(result) {
    var out = document.getElementById("job-result");
    out.textContent = "";
    if (!result) return;
    if (typeof result.added === "number") {
      var p = document.createElement("p");
      p.id = "job-summary";
      p.textContent = interpolate(gettext("%(added)s added, %(present)s already present, %(errors)s skipped with errors"),
        { added: result.added, present: result.already_present, errors: result.errors.length }, true);
      out.appendChild(p);
      var list = document.createElement("ul");
      list.id = "job-errors";
      result.errors.forEach(function (e) {
        var li = document.createElement("li");
        li.textContent = interpolate(gettext("line %(line)s: %(reason)s"), { line: e.line, reason: e.reason }, true);
        list.appendChild(li);
      });
      out.appendChild(list);
      if (result.recordings && result.recordings.length) {  // what went in, to open and check
        var added = document.createElement("ul");
        added.id = "job-added";
        result.recordings.forEach(function (id, i) {
          var li = document.createElement("li"), link = document.createElement("a");
          link.href = "/recordings/" + id + "/";
          link.textContent = interpolate(gettext("Recording %(n)s added"), { n: i + 1 }, true);
          li.appendChild(link);
          added.appendChild(li);
        });
        out.appendChild(added);
      }
    } else {
      var pre = document.createElement("pre");
      pre.textContent = JSON.stringify(result, null, 2);
      out.appendChild(pre);
    }
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("job-progress").value = job.progress;
        text("job-state", states[job.state] || job.state);
        document.getElementById("job-state").dataset.state = job.state;
        text("job-message", job.message);
        text("job-error", job.error);
        if (job.state === "succeeded" || job.state === "failed") { show(job.result); return; }
        setTimeout(poll, 700);
      });
  }
  poll();
})();
