// A practice set's "Play them in order": each example's audio, easiest first, the next starting
// when one ends; pressing again (or playing one by hand) stops the run.
(function () {
  "use strict";
  const button = document.getElementById("play-in-order");
  if (!button) return;
  const players = Array.from(document.querySelectorAll("#set-examples audio"));
  let running = false;

  function stop() {
    running = false;
    players.forEach((player) => player.pause());
    document.querySelectorAll(".practice-example.playing").forEach((li) => li.classList.remove("playing"));
  }

  function play(index) {
    document.querySelectorAll(".practice-example.playing").forEach((li) => li.classList.remove("playing"));
    if (!running || index >= players.length) {
      running = false;
      return;
    }
    const player = players[index];
    player.closest(".practice-example").classList.add("playing");
    player.onended = () => play(index + 1);
    player.currentTime = 0;
    player.play().catch(stop);
  }

  button.addEventListener("click", () => {
    if (running) {
      stop();
      return;
    }
    running = true;
    play(0);
  });
})();
