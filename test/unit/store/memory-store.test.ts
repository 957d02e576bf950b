/** The in-memory store keeps the same LifecycleStore contract as the DynamoDB one, paging the due index too. */
import { MemoryStore } from '../../support/memory-store';
import { lifecycleStoreContract } from './store-contract';

lifecycleStoreContract('the in-memory store', () => ({ store: new MemoryStore(), stop: async () => {} }));
lifecycleStoreContract('the in-memory store, one due run a page', () => ({ store: new MemoryStore({ duePageSize: 1 }), stop: async () => {} }));
