/* The style-model page: follows training, sends the constraints, follows generation, and
   shows each example as a score with a player, downloads, credits and labels. */
(function () {
  "use strict";
  var box = document.getElementById("model");
  if (!box) return;

  function csrf() {
    var field = document.querySelector("#generate input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); });
  }
  function data(id, fallback) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : fallback;
  }
  var labelNames = data("label-names", {});
  var stages = data("train-stages", []);

  // The stage of training the progress falls in, in the reader's words (generation/ml/progress.py)
  function stageText(progress) {
    var i = 0;
    while (i + 1 < stages.length && progress >= stages[i + 1].from) i++;
    var stage = stages[i], next = stages[i + 1];
    if (!stage) return "";
    var share = next ? Math.max(0, Math.min(1, (progress - stage.from) / (next.from - stage.from))) : 1;
    return interpolate(stage.text, { percent: Math.round(share * 100) + "%" }, true);
  }
  var stageLine = document.getElementById("train-stage");
  if (stageLine && stages.length) stageLine.textContent = stageText(Number(document.getElementById("train-progress").value));

  function follow(url, bar, message, done) {
    getJSON(url).then(function (job) {
      if (!job.state) { setTimeout(function () { window.location.reload(); }, 5000); return; }  // someone else's job
      if (bar) { bar.hidden = false; bar.value = job.progress; }
      if (message) message.textContent = job.message || job.state;
      if (bar && stageLine && stages.length) stageLine.textContent = stageText(job.progress);
      if (job.state === "succeeded" || job.state === "failed") { done(job); return; }
      setTimeout(function () { follow(url, bar, message, done); }, 600);
    });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  // The practice player under each example: the model's tonic, fifth and metre, the example's tempo
  function practice(audio, li, ex) {
    if (!window.SongkeeperPractice) return;
    var player = el("div", { "class": "practice-player", "data-tonic-hz": box.dataset.tonicHz,
      "data-fifth-cents": box.dataset.fifthCents, "data-tempo": String(ex.constraints.tempo || box.dataset.tempo),
      "data-pulse": box.dataset.pulse, "data-count-beats": box.dataset.countBeats, "data-beat-quarters": box.dataset.beatQuarters });
    li.appendChild(player);
    window.SongkeeperPractice.attach(audio, player);
  }

  function showExamples() {
    getJSON(box.dataset.examples).then(function (page) {
      var list = document.getElementById("examples");
      list.textContent = "";
      page.results.forEach(function (ex) {
        var li = el("li", { "class": "example", "id": "example-" + ex.id });
        li.appendChild(el("h3", {}, interpolate(gettext("Example %(n)s · seed %(seed)s · %(notes)s notes"), { n: ex.number, seed: ex.seed, notes: ex.notes.length }, true)));
        var passage = ex.provenance.source_passage;
        if (passage) {
          var words = ex.constraints.mode === "continue" ? gettext("Continues “%(title)s”, %(start)s–%(end)s s")
            : ex.constraints.mode === "answer" ? gettext("Answers “%(title)s”, %(start)s–%(end)s s: the real passage, then the answer")
            : gettext("A variation on “%(title)s”, %(start)s–%(end)s s");
          li.appendChild(el("p", { "class": "source-passage" }, interpolate(words, { title: passage.title, start: passage.start.toFixed(1), end: passage.end.toFixed(1) }, true)));
        }
        if (ex.withdrawn) {
          li.appendChild(el("p", { "class": "error" }, gettext("Withdrawn:") + " " + ex.withdrawn_reason));
        } else {
          li.appendChild(el("img", { "class": "score", "src": ex.files.svg, "alt": interpolate(gettext("Score of example %(n)s"), { n: ex.number }, true) }));
          var audio = el("audio", { "controls": "", "preload": "none", "src": ex.files.audio });
          li.appendChild(audio);
          practice(audio, li, ex);
          var links = el("p", { "class": "downloads" });
          [["musicxml", "MusicXML"], ["midi", "MIDI"], ["audio", "WAV"], ["svg", "SVG"]].forEach(function (pair) {
            links.appendChild(el("a", { "href": ex.files[pair[0]] + "?download=1", "class": "download-" + pair[0] }, pair[1]));
            links.appendChild(document.createTextNode(" "));
          });
          li.appendChild(links);
        }
        var credits = ex.provenance.credits.map(function (c) { return c.name; }).join(", ");
        li.appendChild(el("p", { "class": "provenance" }, interpolate(gettext("AI-generated. Learned from recordings of %(credits)s."), { credits: credits }, true)));
        if (ex.labels.length) li.appendChild(el("p", { "class": "labels" }, gettext("Labels:") + " " + ex.labels.map(function (code) { return labelNames[code] || code; }).join(", ")));
        list.appendChild(li);
      });
    });
  }

  var status = box.dataset.status;
  if ((status === "queued" || status === "training") && box.dataset.job) {
    follow(box.dataset.job, document.getElementById("train-progress"), document.getElementById("train-message"),
      function () { window.location.reload(); });
  }
  showExamples();

  var form = document.getElementById("generate");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var f = form.elements;
    var number = function (name) { return !f[name] || f[name].value === "" ? null : Number(f[name].value); };
    var body = {
      count: number("count"), length_notes: number("length_notes"), length_bars: number("length_bars"), tempo: number("tempo"),
      difficulty: f.difficulty.value, start_degree: number("start_degree"), end_degree: number("end_degree"),
      seed: number("seed"), temperature: number("temperature"),
      range: (f.range_low.value !== "" && f.range_high.value !== "") ? [number("range_low"), number("range_high")] : null
    };
    var error = document.getElementById("generate-error");
    var message = document.getElementById("generate-message");
    error.textContent = "";
    fetch(box.dataset.generate, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) { error.textContent = res.data.detail || gettext("The constraints were refused."); return; }
      follow("/api/jobs/" + res.data.job + "/", document.getElementById("generate-progress"), message, function (job) {
        if (job.state === "failed") { error.textContent = job.error; return; }
        message.textContent = interpolate(gettext("%(n)s example(s) ready."), { n: job.result.examples.length }, true);
        showExamples();
      });
    });
  });
})();
