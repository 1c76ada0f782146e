// "Code an article": say that coding is under way (the first article also loads the language model).
"use strict";
(function () {
  const form = document.getElementById("code-form");
  if (!form) return;
  form.addEventListener("submit", () => {
    const button = document.getElementById("code-submit");
    button.disabled = true;
    button.textContent = "Coding…";
  });
})();
