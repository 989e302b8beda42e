import { createApp } from 'vue';
import { pickApi } from './api/pick-api';
import App from './App.vue';
import { createDashboardI18n } from './i18n/dashboard-i18n';
import { followLanguage } from './i18n/follow-language';
import { createStore } from './state/store';
import { STORE_KEY } from './state/use-store';
import './styles.css';

const store = createStore(pickApi());
const i18n = createDashboardI18n();
followLanguage(store.state, i18n, navigator.languages, document.documentElement);
createApp(App).use(i18n).provide(STORE_KEY, store).mount('#app');
void store.start();
window.addEventListener('pagehide', () => store.stop());
