import { createApp } from 'vue';
import { pickApi } from './api/pick-api';
import App from './App.vue';
import { createStore } from './state/store';
import { STORE_KEY } from './state/use-store';
import './styles.css';

const store = createStore(pickApi());
createApp(App).provide(STORE_KEY, store).mount('#app');
void store.start();
window.addEventListener('pagehide', () => store.stop());
