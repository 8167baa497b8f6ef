/** The fields the groups feature owns on a PBX extension group. */
export interface PbxGroupFields {
  name: string;
  /** '' = none. */
  description: string;
}

export interface PbxGroup extends PbxGroupFields {
  id: string;
}
