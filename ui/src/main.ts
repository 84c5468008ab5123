import { mount } from 'svelte';
import App from './App.svelte';
import { appStatus } from './lib/api/session';
import { navigationType, type PageWithFirstStatus, statusSource, takeFirstStatus } from './lib/session/statusSource';
import './app.css';

// The bundle has been fetched, parsed and its modules run (imports run first);
// `chartkeep-admin bench startup` splits the time to the first screen here.
performance.mark('script-start');

// Handed over by Rust before the page loaded (on the first load), else asked at once, so Rust
// answers while the page is being made.
const firstStatus = takeFirstStatus(window as Window & PageWithFirstStatus, navigationType(), appStatus);
performance.mark('status-asked');

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}

// The first status goes to the first screen only; every later one is asked anew.
export default mount(App, { target, props: { nextStatus: statusSource(firstStatus, appStatus) } });
