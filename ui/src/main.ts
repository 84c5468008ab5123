import { mount } from 'svelte';
import App from './App.svelte';
import { appStatus } from './lib/api/session';
import './app.css';

// The bundle has been fetched, parsed and its modules run (imports run first);
// `chartkeep-admin bench startup` splits the time to the first screen here.
performance.mark('script-start');

// Asked at once, so Rust answers while the page is being made.
const firstStatus = appStatus();
performance.mark('status-asked');

const target = document.getElementById('app');
if (!target) {
  throw new Error('index.html has no #app element');
}

export default mount(App, { target, props: { firstStatus } });
