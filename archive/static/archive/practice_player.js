// The practice player: controls that attach to any <audio> (or wavesurfer's media element) for
// learning by ear. Loop a stretch between two marks, slow down without changing pitch (the
// browser's preservesPitch), sound a drone at the tonic (and the fifth in the tradition's own
// tuning), and count in at the tempo where the tradition has a pulse.
// Markup: <div class="practice-player" data-tonic-hz data-fifth-cents data-tempo data-pulse
// data-count-beats data-beat-quarters> (the count-in: a bar of the metre, four quarters by default).
(function () {
  "use strict";

  function button(label, cls) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary " + cls;
    b.textContent = label;
    return b;
  }

  function attach(media, box) {
    if (!media || !box || box.dataset.attached) return null;
    box.dataset.attached = "1";
    const tonic = parseFloat(box.dataset.tonicHz || "0");
    const fifthCents = box.dataset.fifthCents ? parseFloat(box.dataset.fifthCents) : null;
    const tempo = parseFloat(box.dataset.tempo || "0");
    const pulse = box.dataset.pulse === "1";
    const countBeats = parseInt(box.dataset.countBeats || "4", 10);
    const beatQuarters = parseFloat(box.dataset.beatQuarters || "1");
    const state = { loopStart: null, loopEnd: null, drone: null, context: null };

    const speed = document.createElement("select");
    speed.className = "practice-speed";
    speed.setAttribute("aria-label", gettext("Speed"));
    [[1, "100%"], [0.75, "75%"], [0.5, "50%"]].forEach(([value, label]) => {
      const option = document.createElement("option");
      option.value = String(value);
      option.textContent = label;
      speed.appendChild(option);
    });
    speed.addEventListener("change", () => {
      media.preservesPitch = true; // slower, never lower
      media.playbackRate = parseFloat(speed.value);
    });

    const markA = button(gettext("Loop from here"), "practice-loop-start");
    const markB = button(gettext("…to here"), "practice-loop-end");
    const clear = button(gettext("No loop"), "practice-loop-clear");
    const loopText = document.createElement("span");
    loopText.className = "meta practice-loop";
    const vary = document.createElement("a");
    vary.className = "practice-vary";
    vary.hidden = true;
    vary.textContent = gettext("Vary this passage");
    const showLoop = () => {
      const looping = state.loopStart !== null && state.loopEnd !== null;
      loopText.textContent = looping
        ? gettext("looping") + " " + state.loopStart.toFixed(1) + "–" + state.loopEnd.toFixed(1) + " s" : "";
      vary.hidden = !(looping && box.dataset.varyUrl);
      if (!vary.hidden) {
        vary.href = box.dataset.varyUrl + "&start=" + state.loopStart.toFixed(2) + "&end=" + state.loopEnd.toFixed(2);
      }
    };
    markA.addEventListener("click", () => { state.loopStart = media.currentTime; state.loopEnd = null; showLoop(); });
    markB.addEventListener("click", () => {
      if (state.loopStart === null || media.currentTime <= state.loopStart + 0.05) return;
      state.loopEnd = media.currentTime;
      media.currentTime = state.loopStart;
      showLoop();
    });
    clear.addEventListener("click", () => { state.loopStart = state.loopEnd = null; showLoop(); });
    media.addEventListener("timeupdate", () => {
      if (state.loopStart !== null && state.loopEnd !== null && media.currentTime >= state.loopEnd) {
        media.currentTime = state.loopStart;
      }
    });

    const audio = () => {
      state.context = state.context || new (window.AudioContext || window.webkitAudioContext)();
      return state.context;
    };
    const droneBox = document.createElement("label");
    const drone = document.createElement("input");
    drone.type = "checkbox";
    drone.className = "practice-drone";
    droneBox.append(drone, " ", gettext("Drone on the tonic"));
    const fifthBox = document.createElement("label");
    const fifth = document.createElement("input");
    fifth.type = "checkbox";
    fifth.className = "practice-fifth";
    fifthBox.append(fifth, " ", gettext("and the fifth"));
    const stopDrone = () => {
      if (state.drone) state.drone.forEach((node) => node.stop());
      state.drone = null;
    };
    const startDrone = () => {
      stopDrone();
      if (!drone.checked || !tonic) return;
      const context = audio();
      const gain = context.createGain();
      gain.gain.value = 0.08;
      gain.connect(context.destination);
      const pitches = [tonic / 2, tonic];
      if (fifth.checked && fifthCents !== null) pitches.push(tonic * Math.pow(2, fifthCents / 1200));
      state.drone = pitches.map((hz) => {
        const oscillator = context.createOscillator();
        oscillator.type = "triangle";
        oscillator.frequency.value = hz;
        oscillator.connect(gain);
        oscillator.start();
        return oscillator;
      });
    };
    drone.addEventListener("change", startDrone);
    fifth.addEventListener("change", startDrone);

    const controls = [speed, markA, markB, clear, loopText, vary];
    if (tonic) controls.push(droneBox);
    if (tonic && fifthCents !== null) controls.push(fifthBox);
    if (pulse && tempo > 0) {
      const countIn = button(gettext("Count in and play"), "practice-count-in");
      countIn.addEventListener("click", () => {
        const context = audio();
        const beat = (60 * beatQuarters) / (tempo * media.playbackRate);
        const now = context.currentTime + 0.05;
        state.countIn = { beats: countBeats, beat };
        for (let i = 0; i < countBeats; i += 1) {
          const click = context.createOscillator();
          const level = context.createGain();
          click.frequency.value = i === 0 ? 1760 : 1320;
          level.gain.setValueAtTime(0.3, now + i * beat);
          level.gain.exponentialRampToValueAtTime(0.001, now + i * beat + 0.08);
          click.connect(level).connect(context.destination);
          click.start(now + i * beat);
          click.stop(now + i * beat + 0.1);
        }
        state.countingIn = true;
        window.setTimeout(() => { state.countingIn = false; media.play(); }, (0.05 + countBeats * beat) * 1000);
      });
      controls.push(countIn);
    }
    box.append(...controls);
    box.practice = state;
    return state;
  }

  window.SongkeeperPractice = { attach };
  document.querySelectorAll(".practice-player[data-for]").forEach((box) => {
    attach(document.getElementById(box.dataset.for), box);
  });
})();
