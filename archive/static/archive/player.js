/* The recording page's player: wavesurfer.js over the streamed access copy (peaks from the
   archive, so the audio is not decoded in the browser), annotations as regions, the pitch
   contour aligned with the player, the pitch histogram with the scale degrees in cents,
   and, for members, annotating by dragging a region. A link with #t=SECONDS seeks there. */
(function () {
  "use strict";
  var box = document.getElementById("listen");
  if (!box || !box.dataset.audio) return;
  var d = box.dataset;
  var SVG = "http://www.w3.org/2000/svg";

  var api = window.songkeeperHttp.call, getJSON = window.songkeeperHttp.getJSON;
  function clock(t) {
    var m = Math.floor(t / 60), s = Math.floor(t % 60);
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  var duration = parseFloat(d.duration) || 0;
  var regions = WaveSurfer.Regions.create();
  var playhead = null;

  /* Behind a content warning the player starts only once the warning is acknowledged. */
  var warned = document.querySelector(".warned[hidden]");
  if (warned) {
    document.addEventListener("songkeeper:acknowledged", start, { once: true });
  } else {
    start();
  }

  function start() {
  getJSON(d.peaks).then(function (peaks) {
    var data = peaks ? [peaks.data.filter(function (_, i) { return i % 2 === 1; })] : undefined;
    var ws = WaveSurfer.create({
      container: "#waveform", url: d.audio, peaks: data, duration: duration || undefined,
      height: 96, waveColor: "#c9a27e", progressColor: "#7a3e12", cursorColor: "#1f2328",
      normalize: true, plugins: [regions]
    });
    window.songkeeperPlayer = ws;
    if (window.SongkeeperPractice) window.SongkeeperPractice.attach(ws.getMediaElement(), document.getElementById("practice"));
    var play = document.getElementById("play");
    play.addEventListener("click", function () { ws.playPause(); });
    ws.on("play", function () { play.textContent = gettext("Pause"); });
    ws.on("pause", function () { play.textContent = gettext("Play"); });
    transcript(ws);
    ws.on("timeupdate", function (t) {
      document.getElementById("clock").textContent = clock(t);
      if (playhead && duration) {
        var x = (t / duration) * 1000;
        playhead.setAttribute("x1", x); playhead.setAttribute("x2", x);
      }
    });
    ws.on("ready", function () {
      duration = ws.getDuration() || duration;
      loadAnnotations();
      seekFromHash();
      box.classList.add("ready");
    });
    window.addEventListener("hashchange", seekFromHash);
    function seekFromHash() {
      var m = location.hash.match(/^#t=([0-9.]+)/);
      if (m) ws.setTime(Math.min(parseFloat(m[1]), duration));
    }
    if (d.canAnnotate === "1") {
      regions.enableDragSelection({ color: "rgba(122, 62, 18, 0.25)" });
      regions.on("region-created", function (region) {
        if (region.id.indexOf("a-") === 0) return;  // an existing annotation being drawn
        openForm({ start: region.start, end: region.end }, region);
      });
    }
    regions.on("region-clicked", function (region, e) { e.stopPropagation(); ws.setTime(region.start); });
  });
  }

  /* The transcript beside the waveform: one layer at a time, the line being heard highlighted
     and kept in view, a click on a line plays from there. */
  function transcript(ws) {
    var box = document.getElementById("transcript");
    if (!box) return;
    var lines = Array.prototype.slice.call(box.querySelectorAll("li"));
    var list = document.getElementById("transcript-lines");
    var current = null;
    document.getElementById("transcript-layer").addEventListener("change", function (e) {
      lines.forEach(function (li) { li.hidden = li.dataset.layer !== e.target.value; });
      follow(ws.getCurrentTime());
    });
    lines.forEach(function (li) {
      li.querySelector("a").addEventListener("click", function (e) {
        e.preventDefault();
        ws.setTime(parseFloat(li.dataset.start));
        follow(parseFloat(li.dataset.start));
      });
    });
    function follow(t) {
      var now = null;
      lines.forEach(function (li) {
        if (!li.hidden && parseFloat(li.dataset.start) <= t + 1e-3 && t < Math.max(parseFloat(li.dataset.end), parseFloat(li.dataset.start) + 0.5)) now = li;
      });
      if (now === current) return;
      if (current) current.classList.remove("current");
      current = now;
      if (now) {
        now.classList.add("current");
        list.scrollTop = now.offsetTop - list.clientHeight / 3;  // the list is the lines offsetParent
      }
    }
    ws.on("timeupdate", follow);
  }

  function loadAnnotations() {
    getJSON(d.annotations).then(function (list) {
      (list || []).forEach(function (a) {
        regions.addRegion({ id: "a-" + a.id, start: a.start, end: a.end, drag: false, resize: false,
                            color: "rgba(31, 35, 40, 0.12)", content: a.body.slice(0, 40) });
      });
    });
  }

  /* The annotation form: new (from a dragged region) or editing one of the user's own. */
  var form = document.getElementById("annotation-form");
  var pending = null;
  function openForm(values, region) {
    if (!form) return;
    pending = region || null;
    form.hidden = false;
    form.elements.start.value = values.start.toFixed(2);
    form.elements.end.value = values.end.toFixed(2);
    form.elements.body.value = values.body || "";
    form.elements.language.value = values.language || "";
    form.elements.protocol.value = values.protocol || "public";
    form.dataset.id = values.id || "";
    form.elements.body.focus();
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var error = document.getElementById("annotation-error");
      var start = Number(form.elements.start.value), end = Number(form.elements.end.value);
      if (form.elements.start.value.trim() === "" || form.elements.end.value.trim() === "" || isNaN(start) || isNaN(end)) {
        error.textContent = gettext("Start and end are times in seconds, such as 12.5.");
        return;
      }
      if (end < start) { error.textContent = gettext("The end comes after the start."); return; }
      if (!form.elements.body.value.trim()) { error.textContent = gettext("Write the annotation first."); return; }
      var body = { start: start, end: end,
                   body: form.elements.body.value, language: form.elements.language.value,
                   protocol: form.elements.protocol.value };
      var id = form.dataset.id;
      var request = id ? api("PATCH", d.annotations + id + "/", body) : api("POST", d.annotations, body);
      request.then(function () { location.reload(); }).catch(function (err) {
        error.textContent = gettext("The archive did not keep the annotation:") + " " + err.message;
      });
    });
    form.querySelector(".cancel").addEventListener("click", function () {
      form.hidden = true;
      document.getElementById("annotation-error").textContent = "";
      if (pending) pending.remove();
    });
  }
  document.querySelectorAll(".annotations [data-edit]").forEach(function (button) {
    button.addEventListener("click", function () {
      var li = button.closest("li");
      openForm({ id: li.dataset.id, start: parseFloat(li.dataset.start), end: parseFloat(li.dataset.end),
                 body: li.dataset.body, language: li.dataset.language, protocol: li.dataset.protocol });
    });
  });
  document.querySelectorAll(".annotations [data-delete]").forEach(function (button) {
    button.addEventListener("click", function () {
      api("DELETE", d.annotations + button.closest("li").dataset.id + "/").then(function () { location.reload(); });
    });
  });

  /* The pitch contour, in cents from the tonic, on the player's time axis. */
  if (d.pitch && d.tonic) {
    getJSON(d.pitch + "?max_points=1500").then(function (p) {
      if (!p) return;
      var svg = document.getElementById("pitch-plot");
      var tonic = parseFloat(d.tonic), lo = -600, hi = 1800;
      var total = duration || (p.times.length ? p.times[p.times.length - 1] : 1);
      var y = function (c) { return 200 - ((c - lo) / (hi - lo)) * 200; };
      [0, 1200].forEach(function (c) {
        el("line", { x1: 0, x2: 1000, y1: y(c), y2: y(c), "class": "tonic-line" }, svg);
      });
      /* Only what the tracker believes: frames it marks unvoiced (no confidence) and pitches off the
         plot are gaps, never spikes clipped at the edge. */
      var path = "", open = false;
      p.hz.forEach(function (hz, i) {
        var c = hz > 0 ? 1200 * Math.log2(hz / tonic) : NaN;
        if (!(p.confidence[i] > 0) || !(c >= lo && c <= hi)) { open = false; return; }
        var pt = ((p.times[i] / total) * 1000).toFixed(1) + "," + y(c).toFixed(1);
        path += (open ? " L" : " M") + pt;
        open = true;
      });
      el("path", { d: path.trim(), "class": "contour" }, svg);
      playhead = el("line", { x1: 0, x2: 0, y1: 0, y2: 200, "class": "playhead" }, svg);
    });
  }

  /* The pitch histogram (5-cent bins, folded to an octave) with the scale degrees marked. */
  if (d.analysis) {
    getJSON(d.analysis).then(function (a) {
      if (!a || !a.summary || !a.summary.histogram_5c) return;
      var svg = document.getElementById("histogram");
      var h = a.summary.histogram_5c, max = Math.max.apply(null, h) || 1;
      h.forEach(function (v, i) {
        var height = (v / max) * 140;
        el("rect", { x: (i / h.length) * 1000, y: 150 - height, width: 1000 / h.length, height: height, "class": "bar" }, svg);
      });
      (a.pitch_set || []).forEach(function (deg) {
        var x = (deg.cents / 1200) * 1000;
        el("line", { x1: x, x2: x, y1: 0, y2: 150, "class": "degree" }, svg);
        var label = el("text", { x: x + 3, y: 12, "class": "degree-label" }, svg);
        label.textContent = deg.cents.toFixed(0) + "¢";
      });
    });
  }
})();
