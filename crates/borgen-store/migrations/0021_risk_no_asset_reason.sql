-- Why a risk concerns no asset (an organisation-wide risk): an assessed risk
-- names an asset or says why none.
ALTER TABLE risks ADD COLUMN no_asset_reason TEXT;
