# Builds crates/borgen-core/src/common_passwords.txt from well-known common
# password patterns written down from general knowledge (no third-party list
# copied): base words people use, combined with the suffixes they add.
bases = """password passw0rd p@ssword p@ssw0rd wachtwoord wachtw00rd welkom welcome welkom01 qwerty qwertyuiop
qwertyui qwerty123 asdfghjkl asdfgh zxcvbnm zxcvbnm123 azerty azertyuiop 1q2w3e4r 1q2w3e4r5t 1qaz2wsx 1qaz2wsx3edc
qazwsx qazwsxedc zaq12wsx iloveyou iloveu ikhouvanjou ikhouvanjij letmein letmeinnow trustno1 whatever
dragon monkey football voetbal baseball basketball soccer hockey tennis golfer master shadow sunshine princess
superman batman spiderman ironman starwars pokemon minecraft fortnite roblox computer internet server admin
administrator beheerder root toor changeme veranderen verander changeit secret geheim geheim123 test tester
testing welkom123 default guest gast login inloggen access letmein123 hello hallo hallo123 goodmorning
freedom liberty vrijheid summer winter spring autumn zomer winter lente herfst january february march april
may june july august september october november december januari februari maart mei juni juli augustus
oktober monday friday sunday zondag maandag vrijdag amsterdam rotterdam utrecht denhaag eindhoven groningen
nederland holland netherlands belgie belgium brussel antwerpen london paris berlin newyork ajax feyenoord
psv azalkmaar fcutrecht arsenal chelsea liverpool manchester barcelona realmadrid juventus michael jennifer
jessica ashley daniel matthew andrew joshua thomas charlie jordan hunter ranger killer jessie pepper ginger
buster tigger bailey maggie cookie chocolate banana cheese orange apple cherry strawberry butterfly flower
lovely loveme lover angel angels babygirl baby family familie jesus christ jezus god heaven blessed
mustang ferrari porsche mercedes corvette harley yamaha honda toyota volkswagen michelle nicole daniel
robert william richard joseph charles sophie emma julia lisa anna sanne lotte daan bram lucas sem levi
jan piet klaas kees henk ingrid marieke willem peter martijn mark dennis kevin bas johan gerrit
hockey cricket rugby marathon runner soccer1 abc abcd abcdef abcdefg abcdefgh abcdefghij abc123 abcd1234
a1b2c3 a1b2c3d4 aa123456 asd123 qwe123 zxc123 qweasd qweasdzxc 123qwe 123abc 1234abcd
samsung iphone apple google microsoft windows linux ubuntu oracle cisco office office365 outlook
company bedrijf kantoor werk work welcome1 secure security beveiliging mypassword mijnwachtwoord
newpassword nieuwwachtwoord oldpassword password1 passwort motdepasse contrasena senha parola
""".split()
digits = ["1234567890", "0987654321", "12345678910", "123456789", "1234567891", "1111111111",
          "0000000000", "2222222222", "1212121212", "1231231234", "123123123123", "147258369",
          "1472583690", "9876543210", "0123456789", "1122334455", "5555555555", "6666666666",
          "7777777777", "8888888888", "9999999999", "3333333333", "4444444444", "1357924680",
          "123454321", "12344321", "11223344556677", "123456123456", "654321654321", "1029384756",
          "0612345678", "0687654321", "12345678901", "123456789012", "1234554321", "1234512345",
          "1111122222", "1234567812345678", "9638527410", "7894561230", "1478963250", "3692581470"]
walks = ["qwertyuiop", "qwertyuiop[]", "asdfghjkl;", "asdfghjkl", "zxcvbnm,./", "1qaz2wsx3edc",
         "1qaz2wsx3edc4rfv", "qazwsxedcrfv", "qwerasdfzxcv", "1q2w3e4r5t6y", "q1w2e3r4t5",
         "q1w2e3r4t5y6", "zaq1xsw2cde3", "!qaz@wsx#edc", "1q2w3e4r5t6y7u8i", "poiuytrewq",
         "lkjhgfdsa", "mnbvcxz", "qwertyasdfgh", "asdfqwer1234", "azertyuiop", "wxcvbn",
         "1234qwer", "1234qwerasdf", "qwer1234", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnop"]
phrases = ["iloveyou123", "iloveyoutoo", "iloveyouforever", "letmeinplease", "passwordpassword",
           "qwertyqwerty", "correcthorsebatterystaple", "thequickbrownfox", "opensesame",
           "ikhouvanjou123", "welkomwelkom", "wachtwoord123", "wachtwoordje", "mijnwachtwoord",
           "hetwachtwoord", "geheimwachtwoord", "nieuwwachtwoord", "welkom2024", "welkom2025",
           "administrator", "administrator1", "administrator123", "changemenow", "passwordisnotsecure",
           "mypasswordis", "thisismypassword", "nopassword", "noentry123", "superpassword",
           "supersecret", "topsecret123", "secretpassword", "masterpassword", "rootpassword",
           "adminadmin", "adminadmin123", "testtest123", "testtesttest", "useruser123",
           "helloworld", "helloworld123", "hallowereld", "goodbyeworld", "whatisthepassword"]
suffixes = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "!", "1!", "12!", "123!",
            "!!", "01", "007", "69", "99", "00", "@123", "#1", "2019", "2020", "2021", "2022",
            "2023", "2024", "2025", "2026", "2027", "1990", "1995", "2000", "123456789", "321", "!@#"]
out = set()
def add(w):
    w = w.lower()
    if 10 <= len(w) <= 64:
        out.add(w)
for b in bases:
    for s in suffixes:
        add(b + s)
    add(b + b)
for x in digits + walks + phrases:
    add(x)
    for s in ["", "1", "!", "123"]:
        add(x + s)
assert "correct horse battery" not in out
assert "an entirely new password" not in out
out = sorted(out)
print(len(out))
with open("crates/borgen-core/src/common_passwords.txt", "w") as f:
    f.write("# Common passwords of 10 characters or more (shorter ones fail the length rule\n")
    f.write("# anyway), lower-cased. Generated by crates/borgen-core/tools/common_passwords.py\n")
    f.write("# from well-known base words and the suffixes people add; no third-party list.\n")
    for w in out:
        f.write(w + "\n")
