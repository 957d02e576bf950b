/** The directory readers of a stage's connected systems, one each (one per SCIM app), from the providers it has. */
import type { Providers } from '../../providers/providers';
import type { AccountPolicy } from '../../actions/account-policy';
import type { DirectoryReader } from '../directory';
import { GoogleDirectoryReader } from './google-reader';
import { ConnectDirectoryReader } from './connect-reader';
import { ZendeskDirectoryReader } from './zendesk-reader';
import { FrontDirectoryReader } from './front-reader';
import { ScimDirectoryReader } from './scim-reader';
import { NextcloudDirectoryReader } from './nextcloud-reader';
import { OpenProjectDirectoryReader } from './openproject-reader';

export { GoogleDirectoryReader, ConnectDirectoryReader, ZendeskDirectoryReader, FrontDirectoryReader, ScimDirectoryReader, NextcloudDirectoryReader, OpenProjectDirectoryReader };

/** A reader for each provider given. */
export function directoryReaders(providers: Partial<Providers>, policy: AccountPolicy): DirectoryReader[] {
  return [
    ...(providers.google ? [new GoogleDirectoryReader(providers.google, policy)] : []),
    ...(providers.connect ? [new ConnectDirectoryReader(providers.connect, policy)] : []),
    ...(providers.zendesk ? [new ZendeskDirectoryReader(providers.zendesk, policy)] : []),
    ...(providers.front ? [new FrontDirectoryReader(providers.front, policy)] : []),
    ...(providers.scim ? providers.scim.apps.map((app) => new ScimDirectoryReader(providers.scim!.client(app), policy)) : []),
    ...(providers.nextcloud ? [new NextcloudDirectoryReader(providers.nextcloud, policy)] : []),
    ...(providers.openproject ? [new OpenProjectDirectoryReader(providers.openproject, policy)] : []),
  ];
}
