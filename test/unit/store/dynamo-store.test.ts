/** The DynamoDB store on the embedded server keeps the LifecycleStore contract. */
import { lazyStore } from '../../support/lazy-store';
import { lifecycleStoreContract } from './store-contract';

lifecycleStoreContract('the DynamoDB store', () => lazyStore());
