export type NumberHolderType = 'RING_GROUP' | 'CALL_QUEUE' | 'CONFERENCE_ROOM' | 'VIRTUAL_RECEPTIONIST';

/** Something other than a user that owns an extension number. */
export interface NumberHolder {
  id: string;
  name: string;
  extension_number: string;
  type: NumberHolderType;
}

/** Ring groups, call queues, conference rooms and virtual receptionists, by number and by kind. */
export class NumberHolders {
  private readonly byNumber = new Map<string, NumberHolder>();
  private readonly byType = new Map<NumberHolderType, NumberHolder[]>();

  add(holder: NumberHolder): void {
    this.byNumber.set(holder.extension_number, holder);
    const list = this.byType.get(holder.type) ?? [];
    list.push(holder);
    this.byType.set(holder.type, list);
  }

  withNumber(extensionNumber: string): NumberHolder | undefined {
    return this.byNumber.get(extensionNumber);
  }

  ofType(type: NumberHolderType): readonly NumberHolder[] {
    return this.byType.get(type) ?? [];
  }
}
