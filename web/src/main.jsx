import { render } from 'preact';
import { App } from './app.jsx';
import { loadElections } from './data.js';
import { applyLang } from './i18n.js';
import { restoreSession } from './session.js';
import './styles.css';

applyLang();
loadElections();
restoreSession();
render(<App />, document.getElementById('app'));
