// Progressive enhancement only: every form on this site works without this file.
// It ticks a todo as soon as its checkbox changes, so the Toggle buttons can hide.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.matches("[data-autosubmit]")) {
    input.form?.requestSubmit();
  }
});
