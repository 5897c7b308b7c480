package dataset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// csvColumns maps the accepted headers (folded) to the field they fill. CRM
// exports name their columns in English or in French.
var csvColumns = map[string]string{
	"name": "name", "nom": "name", "structure": "name", "raison sociale": "name",
	"type": "type", "type d'acteur": "type", "actor type": "type",
	"department": "department", "departement": "department",
	"commune": "commune", "ville": "commune", "city": "commune",
	"country": "country", "pays": "country",
	"website": "website", "site": "website", "site web": "website", "site internet": "website",
	"email": "email", "e-mail": "email", "courriel": "email", "mail": "email",
	"phone": "phone", "telephone": "phone", "tel": "phone",
	"description": "description",
	"other names": "otherNames", "other_names": "otherNames", "autres noms": "otherNames", "sigle": "otherNames",
	"themes": "themes", "theme": "themes",
}

// CSVResult says what a CSV import did.
type CSVResult struct {
	Rows     int // data rows read
	Imported int
	Skipped  []string // structures already in the database, by name
}

// ProgressEvery is how many rows pass between two progress reports.
const ProgressEvery = 1000

// ImportStructuresCSV adds the structures of a CRM export to the database.
// The header row names the columns (name, type, department, commune,
// country, website, email, phone, description, other names, themes; in
// English or French); "other names" and "themes" hold several values
// separated by "|". Every row is checked before anything is written, and the
// import is one transaction: a bad row leaves the database unchanged.
// Structures whose name is already known are skipped, not duplicated.
func ImportStructuresCSV(ctx context.Context, bdb *bun.DB, r io.Reader, source string, now time.Time, progress func(rows int)) (CSVResult, error) {
	var res CSVResult
	ref, builtin, err := loadReference(ctx, bdb)
	if err != nil {
		return res, err
	}
	rows, err := readCSV(r, source, progress, &res)
	if err != nil {
		return res, err
	}
	known, err := knownNames(ctx, bdb)
	if err != nil {
		return res, err
	}
	res.Rows = len(rows)

	ps := &Problems{Source: source}
	b := &builder{ps: ps, ref: ref}
	inFile := map[string]int{}
	var structures []network.Structure
	for _, row := range rows {
		w := fmt.Sprintf("ligne %d", row.line)
		name := strings.TrimSpace(row.fields["name"])
		if name == "" {
			ps.add(w, "name", "le nom de la structure est vide")
			continue
		}
		folded := search.Fold(name)
		if first, dup := inFile[folded]; dup {
			ps.add(w, "name", "« %s » figure déjà ligne %d", name, first)
			continue
		}
		inFile[folded] = row.line
		s := network.Structure{
			Name: name, ActorType: b.actorType(w, "type", strings.TrimSpace(row.fields["type"])),
			Department: b.department(w, "department", row.fields["department"]),
			Commune:    strings.TrimSpace(row.fields["commune"]),
			Country:    b.country(w, "country", strings.TrimSpace(row.fields["country"])),
			Website:    strings.TrimSpace(row.fields["website"]), Email: strings.TrimSpace(row.fields["email"]),
			Phone: strings.TrimSpace(row.fields["phone"]), Description: strings.TrimSpace(row.fields["description"]),
			OtherNames: splitList(row.fields["otherNames"]), Version: 1,
			CreatedAt: instant(now), UpdatedAt: instant(now),
		}
		if s.Email != "" && !strings.Contains(s.Email, "@") {
			ps.add(w, "email", "adresse « %s » invalide", s.Email)
		}
		for _, th := range splitList(row.fields["themes"]) {
			if code := themeCode(ref, th); code != "" {
				s.Themes = append(s.Themes, code)
			} else {
				ps.add(w, "themes", "thème « %s » inconnu", th)
			}
		}
		if known[folded] {
			res.Skipped = append(res.Skipped, name)
			continue
		}
		structures = append(structures, s)
	}
	if err := ps.err(); err != nil {
		return res, err
	}

	err = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if builtin {
			if err := UpsertReference(ctx, tx, ref); err != nil {
				return err
			}
		}
		if err := insertAll(ctx, tx, structures); err != nil {
			return fmt.Errorf("structures: %w", err)
		}
		names := linkRows{link: network.StructureNames}
		themes := linkRows{link: network.StructureThemes}
		for _, s := range structures {
			names.add(s.ID, anys(s.OtherNames)...)
			themes.add(s.ID, anys(s.Themes)...)
		}
		if err := names.insert(ctx, tx); err != nil {
			return err
		}
		if err := themes.insert(ctx, tx); err != nil {
			return err
		}
		ids := make([]int64, len(structures))
		for i, s := range structures {
			ids[i] = s.ID
		}
		if err := search.ReindexRecords(ctx, tx, search.KindStructure, ids...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.ActionImport, "structure", 0, nil, nil,
			fmt.Sprintf("import de %d structure(s) depuis %s", len(structures), source))
	})
	if err != nil {
		return res, fmt.Errorf("%s : import : %w", source, err)
	}
	res.Imported = len(structures)
	return res, nil
}

type csvRow struct {
	line   int
	fields map[string]string
}

func readCSV(r io.Reader, source string, progress func(int), res *CSVResult) ([]csvRow, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	firstLine, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	// French spreadsheets export with semicolons.
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s : fichier vide, attendu une ligne d'en-tête (name, type, department, commune, country, website…)", source)
	}
	if err != nil {
		return nil, csvProblem(source, err)
	}
	columns := make([]string, len(header))
	hasName := false
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		field, ok := csvColumns[search.Fold(strings.TrimSpace(h))]
		if !ok {
			return nil, fmt.Errorf("%s : ligne 1 : colonne « %s » inconnue (colonnes reconnues : name, type, department, commune, country, website, email, phone, description, other names, themes)", source, h)
		}
		columns[i] = field
		hasName = hasName || field == "name"
	}
	if !hasName {
		return nil, fmt.Errorf("%s : ligne 1 : la colonne « name » (ou « nom ») est obligatoire", source)
	}
	var rows []csvRow
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvProblem(source, err)
		}
		line, _ := cr.FieldPos(0) // only after a successful read: FieldPos panics after an error
		for i, v := range record {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return nil, &Problems{Source: source, List: []Problem{{Where: fmt.Sprintf("ligne %d", line), Field: header[min(i, len(header)-1)],
					Message: "caractère nul ou texte qui n'est pas de l'UTF-8 valide (enregistrez le fichier en UTF-8)"}}}
			}
		}
		if len(record) != len(columns) {
			return nil, fmt.Errorf("%s : ligne %d : %d colonnes au lieu des %d de l'en-tête", source, line, len(record), len(columns))
		}
		empty := true
		fields := make(map[string]string, len(columns))
		for i, v := range record {
			fields[columns[i]] = v
			empty = empty && strings.TrimSpace(v) == ""
		}
		if empty {
			continue
		}
		rows = append(rows, csvRow{line: line, fields: fields})
		if progress != nil && len(rows)%ProgressEvery == 0 {
			progress(len(rows))
		}
	}
	return rows, nil
}

// csvProblem tells in French where and why a file is not CSV; the reader's
// own errors are in English.
func csvProblem(source string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s : lecture impossible : %w", source, err)
	}
	msg := "ligne illisible"
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = "guillemet non fermé, ou guillemet en trop dans un champ entre guillemets (doublez les guillemets à l'intérieur d'un champ : \"\")"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = "guillemet au milieu d'un champ sans guillemets (mettez le champ entre guillemets et doublez le guillemet : \"\")"
	case errors.Is(pe.Err, csv.ErrFieldCount):
		msg = "nombre de colonnes différent de celui de l'en-tête"
	}
	return &Problems{Source: source, List: []Problem{{Where: fmt.Sprintf("ligne %d", max(pe.StartLine, 1)), Message: msg}}}
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "|") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func themeCode(ref *Document, value string) string {
	for _, t := range ref.Themes {
		if t.Code == value || search.Fold(t.Name) == search.Fold(value) {
			return t.Code
		}
	}
	return ""
}

// loadReference reads the database's reference lists, or the built-in ones
// when the database has none yet (builtin is then true).
func loadReference(ctx context.Context, bdb *bun.DB) (*Document, bool, error) {
	d := &Document{}
	for _, q := range []struct {
		dest  any
		order string
	}{
		{&d.ActorTypes, "position"}, {&d.Departments, "code"}, {&d.Audiences, "position"},
		{&d.Themes, "position"}, {&d.Countries, "code"},
	} {
		if err := bdb.NewSelect().Model(q.dest).OrderExpr(q.order).Scan(ctx); err != nil {
			return nil, false, fmt.Errorf("dataset: reference lists: %w", err)
		}
	}
	if len(d.ActorTypes) > 0 {
		return d, false, nil
	}
	ref, err := Reference()
	return ref, true, err
}

// knownNames returns the folded names and other names of the structures
// already in the database.
func knownNames(ctx context.Context, bdb *bun.DB) (map[string]bool, error) {
	var names []string
	if err := bdb.NewSelect().TableExpr("structures").Column("name").Scan(ctx, &names); err != nil {
		return nil, fmt.Errorf("dataset: structure names: %w", err)
	}
	var others []string
	if err := bdb.NewSelect().TableExpr(network.StructureNames.Table).Column("name").Scan(ctx, &others); err != nil {
		return nil, fmt.Errorf("dataset: structure names: %w", err)
	}
	known := make(map[string]bool, len(names)+len(others))
	for _, n := range append(names, others...) {
		known[search.Fold(n)] = true
	}
	return known, nil
}
