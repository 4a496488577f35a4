/* The note editor: the transcription in use drawn as a piano roll over the pitch contour and the
   waveform, in the recording's own pitch set (cents from the tonic, a line per degree, not a
   12-TET grid). Anyone
   who may hear the recording plays notes and compares versions; the community's members also
   split, merge, delete, add, move a note to another degree or exact cents, drag its start and end,
   undo, and save: every save is a new version (POST /transcriptions/), and the automatic
   transcription can always be returned to. The time axis runs left to right in every language. */
(function () {
  "use strict";
  var box = document.getElementById("notes-editor");
  if (!box) return;
  var d = box.dataset, SVG = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("roll"), status = document.getElementById("notes-status");
  var canEdit = d.canEdit === "1", duration = parseFloat(d.duration) || 0;
  var degrees = JSON.parse(d.degrees || "[]");
  var notes = [], base = 0, shown = 0, automatic = [], compare = false, selected = -1, undo = [], view = [0, 10];
  var audio = new Audio(d.audio), stopAt = null;
  var W = 1000, H = 300;

  var call = window.songkeeperHttp.call, getJSON = window.songkeeperHttp.getJSON;
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function say(text) { status.textContent = text; }
  function range() {
    var all = notes.concat(compare ? automatic : []).map(function (n) { return n.cents; });
    if (!all.length) return [-100, 1300];
    return [Math.min.apply(null, all) - 150, Math.max.apply(null, all) + 150];
  }
  function x(t) { return (t - view[0]) / (view[1] - view[0]) * W; }
  function t(px) { return view[0] + px / W * (view[1] - view[0]); }
  function y(c, r) { return H - (c - r[0]) / (r[1] - r[0]) * H; }
  function nearestDegree(c) {
    var best = c, gap = Infinity;
    degrees.forEach(function (dc) {
      var k = Math.round((c - dc) / 1200), cand = dc + 1200 * k;
      if (Math.abs(cand - c) < gap) { gap = Math.abs(cand - c); best = cand; }
    });
    return best;
  }
  function stepDegree(c, up) {
    var lines = [];
    for (var k = -4; k <= 4; k++) degrees.forEach(function (dc) { lines.push(dc + 1200 * k); });
    lines.sort(function (a, b) { return a - b; });
    var from = nearestDegree(c);
    var i = lines.indexOf(from);
    return lines[Math.max(0, Math.min(lines.length - 1, i + (up ? 1 : -1)))];
  }

  /* The waveform as a band along the bottom, under the notes: where the voice is loud or silent. */
  function drawWaveform() {
    if (!peaks) return;
    var per = peaks.samples_per_pixel / peaks.sample_rate, top = [], bottom = [];
    var first = Math.max(0, Math.floor(view[0] / per)), last = Math.min(peaks.length, Math.ceil(view[1] / per));
    var step = Math.max(1, Math.floor((last - first) / 500));
    for (var i = first; i < last; i += step) {
      var hi = Math.abs(peaks.data[2 * i + 1]), px = x(i * per).toFixed(1);
      top.push(px + "," + (H - 30 - hi * 28).toFixed(1));
      bottom.unshift(px + "," + (H - 30 + hi * 28).toFixed(1));
    }
    if (top.length) el("polygon", { points: top.concat(bottom).join(" "), "class": "waveform" }, svg);
  }

  function draw() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    drawWaveform();
    var r = range();
    for (var k = -4; k <= 4; k++) {
      degrees.forEach(function (dc) {
        var c = dc + 1200 * k;
        if (c < r[0] || c > r[1]) return;
        el("line", { x1: 0, x2: W, y1: y(c, r), y2: y(c, r), "class": dc === 0 ? "degree tonic" : "degree" }, svg);
        el("text", { x: 4, y: y(c, r) - 2, "class": "degree-label" }, svg).textContent = Math.round(c) + "¢";
      });
    }
    if (contour.length) {
      var pts = contour.filter(function (p) { return p[0] >= view[0] && p[0] <= view[1] && p[1] !== null; })
        .map(function (p) { return x(p[0]).toFixed(1) + "," + y(p[1], r).toFixed(1); });
      el("polyline", { points: pts.join(" "), "class": "contour" }, svg);
    }
    if (compare) automatic.forEach(function (n) {
      el("rect", { x: x(n.onset), y: y(n.cents, r) - 5, width: Math.max(1, x(n.onset + n.duration) - x(n.onset)),
                   height: 10, "class": "note automatic" }, svg);
    });
    notes.forEach(function (n, i) {
      var rect = el("rect", { x: x(n.onset), y: y(n.cents, r) - 6, width: Math.max(2, x(n.onset + n.duration) - x(n.onset)),
                              height: 12, "class": "note" + (i === selected ? " selected" : ""), "data-index": i }, svg);
      rect.addEventListener("pointerdown", function (e) { grab(e, i); });
    });
    var playing = audio.currentTime;
    if (playing >= view[0] && playing <= view[1]) el("line", { x1: x(playing), x2: x(playing), y1: 0, y2: H, "class": "playhead" }, svg);
    var n = notes[selected];
    document.getElementById("note-cents").value = n ? n.cents.toFixed(1) : "";
    document.getElementById("note-onset").value = n ? n.onset.toFixed(3) : "";
    document.getElementById("note-end").value = n ? (n.onset + n.duration).toFixed(3) : "";
    document.getElementById("note-count").textContent = notes.length;
  }

  /* Dragging a note's left or right third moves its start or end; the middle selects it. */
  function grab(e, i) {
    e.preventDefault();
    select(i);
    if (!canEdit) return;
    var n = notes[i], rect = svg.getBoundingClientRect(), px = (e.clientX - rect.left) / rect.width * W;
    var third = (x(n.onset + n.duration) - x(n.onset)) / 3, edge = null;
    if (px < x(n.onset) + third) edge = "start"; else if (px > x(n.onset + n.duration) - third) edge = "end";
    if (!edge) return;
    remember();
    var before = notes[i - 1], after = notes[i + 1];  /* a note never runs into its neighbours */
    var earliest = before ? before.onset + before.duration : 0, latest = after ? after.onset : (duration || Infinity);
    function move(ev) {
      var at = t((ev.clientX - rect.left) / rect.width * W);
      if (edge === "start") { var end = n.onset + n.duration; n.onset = Math.max(earliest, Math.min(at, end - 0.02)); n.duration = end - n.onset; }
      else n.duration = Math.max(0.02, Math.min(at, latest) - n.onset);
      draw();
    }
    function up() { svg.removeEventListener("pointermove", move); svg.removeEventListener("pointerup", up); changed(); }
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", up);
  }
  function select(i) {
    selected = Math.max(-1, Math.min(notes.length - 1, i));
    var n = notes[selected];
    if (n && (n.onset < view[0] || n.onset > view[1])) showFrom(n.onset - (view[1] - view[0]) / 4);
    else draw();
  }
  function showFrom(start) {  /* the same width of time, from ``start`` (within the recording) */
    var span = view[1] - view[0];
    start = Math.max(0, duration ? Math.min(start, duration - span) : start);
    view = [start, start + span];
    draw();
  }
  function remember() { undo.push(JSON.stringify(notes)); if (undo.length > 200) undo.shift(); }
  function changed() { document.getElementById("notes-save").disabled = false; say(gettext("Changed: not saved yet.")); draw(); }
  /* An edit of the selected note (``fn`` takes it) or of the list (``fn`` takes nothing); the
     selection follows the same note through the re-sort. */
  function edit(fn) {
    if (!canEdit || (selected < 0 && fn.length)) return;
    remember();
    fn(notes[selected]);
    var keep = notes[selected];
    notes.sort(function (a, b) { return a.onset - b.onset; });
    selected = keep ? notes.indexOf(keep) : -1;
    changed();
  }
  function play(from, to) {
    audio.currentTime = from; stopAt = to;
    audio.play().catch(function () { say(gettext("The browser would not play the recording here.")); });
  }
  audio.addEventListener("timeupdate", function () {
    if (stopAt !== null && audio.currentTime >= stopAt) { audio.pause(); stopAt = null; }
    draw();
  });

  var actions = {
    play: function () {
      var n = notes[selected];
      if (n) play(n.onset, n.onset + n.duration); else play(view[0], view[1]);
    },
    split: function () { edit(function (n) {
      var half = n.duration / 2;
      notes.push({ onset: n.onset + half, duration: half, cents: n.cents });
      n.duration = half;
    }); },
    merge: function () {
      if (!notes[selected + 1]) return;
      edit(function (n) {
        var next = notes[selected + 1];
        n.duration = next.onset + next.duration - n.onset;
        notes.splice(selected + 1, 1);
      });
    },
    remove: function () { edit(function (n) { notes.splice(notes.indexOf(n), 1); selected = Math.min(selected, notes.length - 1); }); },
    add: function () {  /* at the playhead, or after the note it falls in, up to the next note */
      var at = audio.currentTime || view[0], near = notes[selected];
      notes.forEach(function (n) { if (n.onset <= at && at < n.onset + n.duration) at = n.onset + n.duration; });
      var next = notes.filter(function (n) { return n.onset >= at; })[0];
      var room = Math.min(0.3, (next ? next.onset : (duration || at + 0.3)) - at);
      if (room < 0.05) { say(gettext("There is no room for a note here.")); return; }
      edit(function () {
        notes.push({ onset: at, duration: room, cents: near ? near.cents : (degrees[0] || 0) });
        selected = notes.length - 1;
      });
    },
    up: function () { edit(function (n) { n.cents = stepDegree(n.cents, true); }); },
    down: function () { edit(function (n) { n.cents = stepDegree(n.cents, false); }); },
    undo: function () {
      if (!undo.length) return;
      notes = JSON.parse(undo.pop()); selected = Math.min(selected, notes.length - 1); changed();
    },
    previous: function () { select(selected - 1); },
    next: function () { select(selected + 1); },
    save: function () {
      say(gettext("Saving…"));
      var body = { based_on: base, notes: notes.map(function (n) { return { onset: n.onset, duration: n.duration, cents: n.cents }; }),
                   comment: document.getElementById("notes-comment").value };
      call("POST", d.transcriptions, body).then(function (saved) {
        base = shown = saved.number; undo = [];
        document.getElementById("notes-save").disabled = true;
        say(interpolate(gettext("Saved as version %s."), [saved.number]));
        versions();
      }).catch(function (err) { say(gettext("Not saved:") + " " + err.message); });
    },
    revert: function () {
      say(gettext("Saving…"));
      call("POST", d.transcriptions, { based_on: base, revert_to: 0 }).then(function (saved) {
        say(interpolate(gettext("Saved as version %s."), [saved.number]));
        return load(saved.number).then(versions);
      }).catch(function (err) { say(gettext("Not saved:") + " " + err.message); });
    },
    compare: function () { compare = !compare; draw(); },
    earlier: function () { showFrom(view[0] - (view[1] - view[0]) / 2); },
    later: function () { showFrom(view[0] + (view[1] - view[0]) / 2); }
  };
  var keys = { " ": "play", p: "play", s: "split", m: "merge", Delete: "remove", Backspace: "remove", a: "add",
               ArrowUp: "up", ArrowDown: "down", z: "undo", ArrowLeft: "previous", ArrowRight: "next" };
  box.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () { actions[button.dataset.action](); });
  });
  box.addEventListener("keydown", function (e) {  /* anywhere in the editor but its fields */
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName) || (e.target.tagName === "BUTTON" && e.key === " ")) return;
    var name = keys[e.key];
    if (e.key === "z" && !(e.ctrlKey || e.metaKey)) name = null;
    if (!name) return;
    e.preventDefault();
    actions[name]();
  });
  document.getElementById("note-cents").addEventListener("change", function (e) {
    var c = parseFloat(e.target.value);
    if (!isNaN(c)) edit(function (n) { n.cents = c; });
  });
  ["note-onset", "note-end"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function () {
      var a = parseFloat(document.getElementById("note-onset").value), b = parseFloat(document.getElementById("note-end").value);
      if (!isNaN(a) && !isNaN(b) && b > a) edit(function (n) { n.onset = a; n.duration = b - a; });
    });
  });
  var picker = document.getElementById("notes-version");
  picker.addEventListener("change", function () { load(parseInt(picker.value, 10)); });

  /* One version onto the roll (the list is refreshed only where it changed: after a save). */
  function load(number) {
    return getJSON(d.transcriptions + number + "/").then(function (v) {
        notes = v.notes_list.map(function (n) { return { onset: n.onset, duration: n.duration, cents: n.cents }; });
        if (number === 0) automatic = JSON.parse(JSON.stringify(notes));
        undo = []; selected = -1; shown = number; picker.value = String(number);
        document.getElementById("notes-save").disabled = true;
        draw();
      });
  }
  function versions() {
    return getJSON(d.transcriptions).then(function (list) {
        base = list.length ? list[0].number : 0;
        while (picker.firstChild) picker.removeChild(picker.firstChild);
        list.forEach(function (v) {
          var option = document.createElement("option");
          option.value = v.number;
          var day = (v.created || "").slice(0, 10);
          option.textContent = (v.source === "automatic" ? gettext("automatic") : interpolate(gettext("version %s"), [v.number]))
            + " · " + day + (v.author ? " · " + v.author : "") + (v.comment ? " · " + v.comment : "");
          picker.appendChild(option);
        });
        picker.value = String(shown);
        document.getElementById("notes-in-use").textContent = list.length && list[0].source === "corrected"
          ? interpolate(gettext("In use: version %s, corrected by people."), [list[0].number]) : gettext("In use: the automatic transcription.");
      });
  }

  var contour = [], peaks = null;
  getJSON(d.peaks).then(function (p) { peaks = p; draw(); });
  getJSON(d.pitch + "?max_points=6000").then(function (p) {
      var tonic = parseFloat(d.tonic);
      if (p) contour = p.times.map(function (tm, i) { return [tm, p.hz[i] > 0 ? 1200 * Math.log2(p.hz[i] / tonic) : null]; });
      view = [0, Math.min(duration || 10, 10)];
      return versions();
    })
    .then(function () { return load(base); })
    .then(function () {  /* the automatic notes, for comparing, when a correction is in use */
      if (base !== 0) return getJSON(d.transcriptions + "0/").then(function (v) { automatic = v ? v.notes_list : []; });
    });
})();
